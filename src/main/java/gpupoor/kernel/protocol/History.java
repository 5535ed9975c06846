package gpupoor.kernel.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells run in this kernel session, for Jupyter's {@code history_request}: the last n, a range
 * of lines, or a glob search ({@code *} and {@code ?}, matched against the whole input, as IPython
 * does). The session number is always {@link #SESSION}; there is no history across restarts.
 * (jjava-jupyter 1.0-a6 has no history store of its own; {@link Replies} builds the reply.)
 */
public final class History {
    /** The number of the (only) session. */
    static final int SESSION = 1;

    private final List<Entry> entries = new ArrayList<>();

    /** Records a cell. */
    public synchronized void add(int line, String input, String output) {
        entries.add(new Entry(SESSION, line, input, output));
    }

    /** The last {@code n} cells, oldest first. */
    synchronized List<Entry> tail(int n) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - Math.max(0, n)), entries.size()));
    }

    /**
     * Cells with {@code start <= line < stop} of a session ({@code 0} or {@link #SESSION} for this
     * one); a {@code stop} of 0 or less means to the end.
     */
    synchronized List<Entry> range(int session, int start, int stop) {
        if (session != 0 && session != SESSION) {
            return List.of();
        }
        return entries.stream().filter(e -> e.line() >= start && (stop <= 0 || e.line() < stop)).toList();
    }

    /**
     * Cells whose whole input matches a glob, newest last; at most {@code n} (the newest) when
     * {@code n > 0}; with {@code unique}, each input once (its newest run).
     */
    synchronized List<Entry> search(String glob, int n, boolean unique) {
        Pattern p = globPattern(glob == null || glob.isEmpty() ? "*" : glob);
        List<Entry> found = entries.stream().filter(e -> p.matcher(e.input()).matches()).toList();
        if (unique) {
            Map<String, Entry> newest = new LinkedHashMap<>();
            for (Entry e : found) {
                newest.remove(e.input());
                newest.put(e.input(), e);
            }
            found = List.copyOf(newest.values());
        }
        return n > 0 && found.size() > n ? found.subList(found.size() - n, found.size()) : found;
    }

    /** The entries in the reply's format: {@code [session, line, input]}, or {@code [session, line, [input, output]]}. */
    static List<List<Object>> toReply(List<Entry> entries, boolean withOutput) {
        List<List<Object>> out = new ArrayList<>();
        for (Entry e : entries) {
            List<Object> row = new ArrayList<>();
            row.add(e.session());
            row.add(e.line());
            if (withOutput) {
                List<Object> pair = new ArrayList<>();
                pair.add(e.input());
                pair.add(e.output());
                row.add(pair);
            } else {
                row.add(e.input());
            }
            out.add(row);
        }
        return out;
    }

    private static Pattern globPattern(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /**
     * One cell run.
     *
     * @param session the session number
     * @param line    the execution count
     * @param input   the cell text
     * @param output  the text of its result, or null
     */
    record Entry(int session, int line, String input, String output) {
    }
}
