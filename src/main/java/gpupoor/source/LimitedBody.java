package gpupoor.source;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body kept in memory up to a limit: after skipping {@code skip} bytes it keeps at most
 * {@code max}; past that it either stops reading and keeps what it has ({@code truncate}, for the
 * leading bytes of a large file) or fails (for a JSON file that should be small).
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long max;
    private final boolean truncate;
    private long skip;
    private Flow.Subscription subscription;

    LimitedBody(long skip, long max, boolean truncate) {
        this.skip = skip;
        this.max = max;
        this.truncate = truncate;
    }

    /** Thrown (inside the future) when a body is larger than its limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long max) {
            super("the response is larger than " + max + " bytes");
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if (skip > 0) {
                int s = (int) Math.min(skip, n);
                b.position(b.position() + s);
                skip -= s;
                n -= s;
            }
            long room = max - out.size();
            if (n > room) {
                if (!truncate) {
                    result.completeExceptionally(new TooLarge(max));
                    subscription.cancel();
                    return;
                }
                byte[] part = new byte[(int) room];
                b.get(part);
                out.writeBytes(part);
                result.complete(out.toByteArray());
                subscription.cancel();
                return;
            }
            byte[] all = new byte[n];
            b.get(all);
            out.writeBytes(all);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
