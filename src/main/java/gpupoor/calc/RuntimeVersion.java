package gpupoor.calc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release of a runtime a scenario describes ({@code --runtime-version}), as its text: a
 * llama.cpp build ({@code b2795}), a release number ({@code 0.8.5}, {@code vllm-0.7.3},
 * {@code v0.10.2}), or vLLM's engine generation ({@code v0}, {@code v1}). The default method follows
 * each runtime's current release; a version changes only the defaults that changed between
 * releases, and the runtime reads it through these accessors, read from the text once, when it is
 * given (a runtime asks for them on every estimate). Equal when the texts are.
 */
public final class RuntimeVersion {
    private static final Pattern BUILD = Pattern.compile("(?i)(?:^|[^a-z0-9])b(\\d{3,5})(?:$|[^0-9])");
    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final Pattern ENGINE = Pattern.compile("(?i)(?:^|[^a-z0-9.])v([01])(?:$|[^0-9.])");
    private static final Pattern PULL = Pattern.compile("(?i)(?:^|[^a-z0-9])pr-?(\\d+)");
    private static final Pattern DATE = Pattern.compile("(20\\d\\d)-(\\d\\d)(?:-(\\d\\d))?");

    private final String text;
    private final int build;
    private final int pullRequest;
    private final int month;
    private final int engine;
    /** The release number in the text (major, minor, patch), null when it holds none. */
    private final int[] release;

    /**
     * A version given as {@code text}.
     *
     * @param text the version as given
     * @throws InvalidScenarioException when the text names no version
     */
    public RuntimeVersion(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidScenarioException(Input.RUNTIME_VERSION.ref("") + ": a runtime version is a release such as "
                    + "0.8.5, a llama.cpp build such as b2795, or v0/v1 for vLLM's engine");
        }
        text = text.trim();
        if (!BUILD.matcher(text).find() && !RELEASE.matcher(text).find() && !ENGINE.matcher(text).find()
                && !PULL.matcher(text).find() && !DATE.matcher(text).find()) {
            throw new InvalidScenarioException(Input.RUNTIME_VERSION.ref(text) + ": not a version; give a release such as "
                    + "0.8.5, a llama.cpp build such as b2795, a pull request such as pr19378, a date such as 2024-03, "
                    + "or v0/v1 for vLLM's engine");
        }
        this.text = text;
        this.build = number(BUILD, text);
        this.pullRequest = number(PULL, text);
        this.engine = number(ENGINE, text);
        Matcher d = DATE.matcher(text);
        this.month = d.find() ? Integer.parseInt(d.group(1)) * 12 + Integer.parseInt(d.group(2)) - 1 : -1;
        Matcher r = RELEASE.matcher(releaseText(text));
        this.release = r.find() ? new int[]{Integer.parseInt(r.group(1)), Integer.parseInt(r.group(2)),
                r.group(3) == null ? 0 : Integer.parseInt(r.group(3))} : null;
    }

    /** The number in the first group of the pattern's first match, or -1. */
    private static int number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The version as given (trimmed). */
    public String text() {
        return text;
    }

    /** The llama.cpp build number ({@code b2795} → 2795), or -1 when the text names none. */
    public int build() {
        return build;
    }

    /** The pull request whose branch ran ({@code pr19378}, {@code vllm-pr10511-v0}), or -1 when the text names none. */
    public int pullRequest() {
        return pullRequest;
    }

    /**
     * The date the text names ({@code 2024-03-26}, {@code transformers-2023-08}) as year × 12 + month − 1,
     * or -1 when it names none.
     */
    public int month() {
        return month;
    }

    /**
     * Compares the release number in the text with {@code major.minor.patch}: negative when older,
     * 0 when equal, positive when newer; 0 as well when the text holds no release number.
     */
    public int compareRelease(int major, int minor, int patch) {
        if (release == null) {
            return 0;
        }
        int[] o = {major, minor, patch};
        for (int i = 0; i < 3; i++) {
            if (release[i] != o[i]) {
                return Integer.compare(release[i], o[i]);
            }
        }
        return 0;
    }

    /** Whether the text holds a release number ({@link #compareRelease} compares it). */
    public boolean hasRelease() {
        return release != null;
    }

    /** The text without builds, pull requests and dates (what is left may hold a release number). */
    private static String releaseText(String text) {
        return DATE.matcher(PULL.matcher(text.replaceAll("(?i)\\bb\\d+", "")).replaceAll("")).replaceAll("");
    }

    /** The engine generation the text names ({@code v0} → 0, {@code v1} → 1), or -1 when none. */
    public int engine() {
        return engine;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuntimeVersion v && text.equals(v.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
