package gpupoor.source;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the Hugging Face Hub is reached and cached, read from the same environment variables as
 * {@code huggingface_hub}: {@code HF_ENDPOINT} (default {@code https://huggingface.co}),
 * {@code HF_TOKEN} (else {@code HUGGING_FACE_HUB_TOKEN}, else the token file {@code HF_TOKEN_PATH},
 * default {@code $HF_HOME/token}), {@code HF_HUB_OFFLINE} (1, true, yes or on), {@code HF_HOME}
 * (default {@code $XDG_CACHE_HOME/huggingface}, i.e. {@code ~/.cache/huggingface}) and
 * {@code HF_HUB_CACHE} (default {@code $HF_HOME/hub}).
 *
 * <p>The calculator reads huggingface_hub's cache but writes its own, {@code GPUPOOR_CACHE}
 * (default {@code $XDG_CACHE_HOME/gpupoor}, i.e. {@code ~/.cache/gpupoor}) {@code /hub}, in the same
 * {@code models--org--name/{refs,snapshots}} layout plus {@code headers/} (the leading bytes of
 * weight files) and {@code info/} (the Hub's file lists): it keeps headers, not whole files, which
 * huggingface_hub would take for broken downloads in its own cache.
 *
 * @param endpoint       the Hub's base URL
 * @param token          the access token, or null
 * @param tokenSource    where the token came from (for messages), or null
 * @param offline        true to use the caches only
 * @param hfCache        huggingface_hub's cache directory (read only)
 * @param cache          this calculator's cache directory
 * @param connectTimeout the limit for opening a connection
 * @param timeout        the limit for one request, headers and body
 * @param attempts       tries per request for 429, 5xx and timeouts (at least 1)
 * @param backoff        the wait before the first retry; it doubles for each further one (a
 *                       {@code Retry-After} of the Hub's is honoured up to {@code maxBackoff})
 * @param maxBackoff     the longest wait between tries
 * @param refreshAfter   how long a cached branch or tag is trusted before the Hub is asked again (when online)
 */
public record HubSettings(URI endpoint, String token, String tokenSource, boolean offline, Path hfCache, Path cache,
                          Duration connectTimeout, Duration timeout, int attempts, Duration backoff, Duration maxBackoff,
                          Duration refreshAfter) {

    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    /** The settings of this process's environment. */
    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The settings for environment {@code env} and home directory {@code home}. */
    public static HubSettings fromEnvironment(Map<String, String> env, Path home) {
        String endpoint = nonEmpty(env.get("HF_ENDPOINT"));
        URI uri = URI.create(endpoint == null ? "https://huggingface.co" : endpoint.replaceAll("/+$", ""));
        Path xdg = nonEmpty(env.get("XDG_CACHE_HOME")) != null ? Path.of(env.get("XDG_CACHE_HOME")) : home.resolve(".cache");
        Path hfHome = nonEmpty(env.get("HF_HOME")) != null ? Path.of(env.get("HF_HOME")) : xdg.resolve("huggingface");
        String hubCache = nonEmpty(env.get("HF_HUB_CACHE")) != null ? env.get("HF_HUB_CACHE") : nonEmpty(env.get("HUGGINGFACE_HUB_CACHE"));
        Path hfCache = hubCache != null ? Path.of(hubCache) : hfHome.resolve("hub");
        Path ours = (nonEmpty(env.get("GPUPOOR_CACHE")) != null ? Path.of(env.get("GPUPOOR_CACHE")) : xdg.resolve("gpupoor"))
                .resolve("hub");
        String token = nonEmpty(env.get("HF_TOKEN"));
        String source = token == null ? null : "HF_TOKEN";
        if (token == null && nonEmpty(env.get("HUGGING_FACE_HUB_TOKEN")) != null) {
            token = env.get("HUGGING_FACE_HUB_TOKEN").trim();
            source = "HUGGING_FACE_HUB_TOKEN";
        }
        if (token == null) {
            Path file = nonEmpty(env.get("HF_TOKEN_PATH")) != null ? Path.of(env.get("HF_TOKEN_PATH")) : hfHome.resolve("token");
            try {
                token = Files.isRegularFile(file) ? nonEmpty(Files.readString(file, StandardCharsets.UTF_8)) : null;
                source = token == null ? null : "the token file " + file;
            } catch (IOException e) {
                token = null;
            }
        }
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE"));
        return new HubSettings(uri, token == null ? null : token.trim(), source, offline, hfCache, ours,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 4, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofHours(24));
    }

    /** These settings with {@code offline} set. */
    public HubSettings withOffline(boolean offline) {
        return new HubSettings(endpoint, token, tokenSource, offline, hfCache, cache, connectTimeout, timeout, attempts,
                backoff, maxBackoff, refreshAfter);
    }

    /** The settings without the token itself (it must not reach logs or messages). */
    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set from " + tokenSource)
                + ", offline=" + offline + ", hfCache=" + hfCache + ", cache=" + cache + ", timeout=" + timeout
                + ", attempts=" + attempts + "]";
    }

    private static boolean isTrue(String v) {
        return v != null && TRUE.contains(v.trim().toUpperCase(Locale.ROOT));
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
