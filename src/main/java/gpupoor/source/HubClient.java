package gpupoor.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP GETs to the Hub and its CDN with the JDK's {@link HttpClient}: redirects followed by hand
 * (so that the Hub's own headers — {@code X-Repo-Commit}, {@code X-Linked-Etag},
 * {@code X-Linked-Size} — are seen before the CDN's, and the token goes to the Hub only, never to
 * the host a redirect points to), a time limit per request covering the body too, bounded bodies,
 * and a bounded number of tries with doubling waits on 429, 5xx and timeouts.
 */
final class HubClient {
    private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);
    private static final int MAX_REDIRECTS = 10;
    private static final int ERROR_BODY_BYTES = 64 << 10;
    private static final String USER_AGENT = "gpupoor/0.1.0; java/" + Runtime.version().feature();

    private final HubSettings settings;
    private final HttpClient http;

    HubClient(HubSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A response after redirects.
     *
     * @param status the final status
     * @param uri    the final URI
     * @param hops   the headers of every response, the first (the Hub's) first
     * @param body   the body, as far as it was kept
     */
    record Response(int status, URI uri, List<HttpHeaders> hops, byte[] body) {
        /** The header's value in the first response that has it (the Hub's before the CDN's), or null. */
        String first(String name) {
            for (HttpHeaders h : hops) {
                if (h.firstValue(name).isPresent()) {
                    return h.firstValue(name).get();
                }
            }
            return null;
        }

        /** The header's value in the final response, or null. */
        String last(String name) {
            return hops.get(hops.size() - 1).firstValue(name).orElse(null);
        }
    }

    /** An error status (4xx, or 5xx after the last try), with the Hub's {@code X-Error-Code} and {@code X-Error-Message}. */
    static final class HttpError extends Exception {
        final int status;
        final String code;
        final String hubMessage;
        final URI uri;

        HttpError(Response r) {
            super("HTTP " + r.status() + " for " + r.uri());
            this.status = r.status();
            this.code = r.first("X-Error-Code");
            this.hubMessage = r.first("X-Error-Message");
            this.uri = r.uri();
        }
    }

    /** The whole body of {@code uri}, at most {@code max} bytes (more is an error). */
    Response get(URI uri, int max) throws HttpError {
        return send(uri, -1, max, false);
    }

    /**
     * {@code length} bytes of {@code uri} from {@code offset}, with a Range request (a server that
     * ignores the Range gets the same bytes cut from its full answer; the rest is not read).
     */
    Response range(URI uri, long offset, int length) throws HttpError {
        return send(uri, offset, length, true);
    }

    private Response send(URI uri, long offset, int max, boolean range) throws HttpError {
        Exception last = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            Response r = null;
            try {
                r = follow(uri, offset, max, range);
                if (!RETRIED.contains(r.status())) {
                    if (r.status() >= 400) {
                        throw new HttpError(r);
                    }
                    return r;
                }
                last = new HttpError(r);
            } catch (HttpTimeoutException | TimeoutException e) {
                last = e;
            } catch (IOException e) {
                last = e;
            }
            if (attempt < settings.attempts()) {
                sleep(wait(attempt, r == null ? null : r.first("Retry-After")));
            }
        }
        if (last instanceof HttpError e) {
            throw e;
        }
        String tries = settings.attempts() == 1 ? "" : " (" + settings.attempts() + " tries)";
        if (last instanceof HttpTimeoutException || last instanceof TimeoutException) {
            throw new InvalidModelSourceException("no answer from " + uri.getHost() + " within "
                    + seconds(settings.timeout()) + tries + " for " + uri
                    + "; check the network, or set HF_HUB_OFFLINE=1 to use only what is cached");
        }
        throw new InvalidModelSourceException("cannot reach " + uri.getHost() + tries + ": " + last
                + "; check the network and HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use only what is cached");
    }

    private Response follow(URI start, long offset, int max, boolean range) throws IOException, TimeoutException {
        List<HttpHeaders> hops = new ArrayList<>();
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                    .header("User-Agent", USER_AGENT).header("Accept-Encoding", "identity").GET();
            if ("http".equalsIgnoreCase(uri.getScheme())) {
                b.version(HttpClient.Version.HTTP_1_1);
            }
            if (range) {
                b.header("Range", "bytes=" + offset + "-" + (offset + max - 1));
            }
            if (settings.token() != null && sameOrigin(uri, settings.endpoint())) {
                b.header("Authorization", "Bearer " + settings.token());
            }
            HttpResponse<byte[]> r = await(http.sendAsync(b.build(), info -> {
                int s = info.statusCode();
                if (s >= 300 && s < 400) {
                    return new LimitedBody(0, 0, true);
                }
                if (s >= 400) {
                    return new LimitedBody(0, ERROR_BODY_BYTES, true);
                }
                return new LimitedBody(range && s == 200 ? offset : 0, max, range);
            }));
            hops.add(r.headers());
            String location = r.headers().firstValue("Location").orElse(null);
            if (r.statusCode() >= 300 && r.statusCode() < 400 && location != null) {
                uri = uri.resolve(location);
                continue;
            }
            return new Response(r.statusCode(), uri, hops, r.body());
        }
        throw new InvalidModelSourceException("more than " + MAX_REDIRECTS + " redirects from " + start);
    }

    private HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> f) throws IOException, TimeoutException {
        try {
            return f.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new InvalidModelSourceException("interrupted while reading from the Hub");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof LimitedBody.TooLarge t) {
                throw new InvalidModelSourceException("a file from the Hub is too large to read: " + t.getMessage());
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(c);
        }
    }

    private Duration wait(int attempt, String retryAfter) {
        Duration d = settings.backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        if (retryAfter != null && retryAfter.trim().matches("\\d{1,6}")) {
            d = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        }
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidModelSourceException("interrupted while waiting to retry a Hub request");
        }
    }

    /** True when {@code a} and {@code b} have the same scheme, host and port. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
