package gpupoor.validate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The summary folded in one result at a time (what {@code validate --data} keeps while a file streams). */
class SummaryTest {

    private static RowResult ok(int row, String framework, double errorPct) {
        Measurement m = new Measurement(row, Map.of("id", "r" + row, "framework_id", framework, "backend", "gpu",
                "metric", "decode_tok_s"));
        return new RowResult(m, Metric.DECODE_TOK_S, Status.OK, 100.0, 100 + errorPct, errorPct, "", null);
    }

    private static RowResult unsupported(int row, String framework) {
        Measurement m = new Measurement(row, Map.of("id", "r" + row, "framework_id", framework, "backend", "gpu",
                "metric", "decode_tok_s"));
        return new RowResult(m, Metric.DECODE_TOK_S, Status.UNSUPPORTED, 100.0, null, null, "no", null);
    }

    /** Percentile by the definition (position q·(n−1) in the sorted values, interpolated), written out here. */
    private static double percentile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) pos;
        return lo + 1 < v.length ? v[lo] + (v[lo + 1] - v[lo]) * (pos - lo) : v[lo];
    }

    @Test
    void manyRowsPerGroupAndSeveralGroupingsAtOnce() {
        Summary s = new Summary(List.of(new Dimension[] {Dimension.METRIC},
                new Dimension[] {Dimension.METRIC, Dimension.FRAMEWORK}));
        List<Double> hf = new ArrayList<>();
        List<Double> vllm = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double e = ((i * 7919) % 1000 - 400) / 10.0; // -40 .. 59.9, in no order
            boolean isHf = i % 3 != 0;
            s.add(ok(i + 2, isHf ? "hf" : "vllm", e));
            (isHf ? hf : vllm).add(e);
        }
        s.add(unsupported(1002, "vllm"));
        assertEquals(1001, s.rows());
        assertEquals(1000, s.count(Status.OK));
        assertEquals(1, s.count(Status.UNSUPPORTED));

        List<SummaryRow> byFramework = s.rows(Dimension.METRIC, Dimension.FRAMEWORK);
        assertEquals(List.of("hf", "vllm"), byFramework.stream().map(r -> r.group().get(Dimension.FRAMEWORK)).toList());
        for (int g = 0; g < 2; g++) {
            double[] errors = (g == 0 ? hf : vllm).stream().mapToDouble(Double::doubleValue).toArray();
            double[] abs = Arrays.stream(errors).map(Math::abs).toArray();
            SummaryRow row = byFramework.get(g);
            assertEquals(errors.length + g, row.rows());
            assertEquals(errors.length, row.predicted());
            assertEquals(g, row.unsupported());
            assertEquals(percentile(abs, 0.5), row.medianAbsErrorPct(), 1e-9);
            assertEquals(percentile(abs, 0.9), row.p90AbsErrorPct(), 1e-9);
            assertEquals(Arrays.stream(errors).sum() / errors.length, row.biasPct(), 1e-9);
            assertNull(row.fitsRight());
        }
        SummaryRow all = s.rows(Dimension.METRIC).get(0);
        assertEquals(1001, all.rows());
        assertEquals(1000, all.predicted());

        assertThrows(IllegalArgumentException.class, () -> s.rows(Dimension.BACKEND));
    }
}
