package gpupoor.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapTrimTest {

    @Test
    void aTrimSetsTheFreeRatioBack() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String before = vm.getVMOption("MaxHeapFreeRatio").getValue();
        new HeapTrim(() -> true).trim();
        assertEquals(before, vm.getVMOption("MaxHeapFreeRatio").getValue());
    }

    /** The kernelspec keeps most of the heap between trims, and a trim's lower ratio is one the JVM accepts (not below the minimum). */
    @Test
    void theKernelspecKeepsTheHeapAndLetsATrimShrinkIt() throws Exception {
        JsonNode spec = new ObjectMapper().readTree(getClass().getClassLoader().getResource("kernel/kernel.json"));
        Map<String, Integer> ratios = new HashMap<>();
        for (JsonNode arg : spec.get("argv")) {
            String a = arg.asText();
            if (a.startsWith("-XX:M") && a.contains("HeapFreeRatio=")) {
                ratios.put(a.substring(4, a.indexOf('=')), Integer.parseInt(a.substring(a.indexOf('=') + 1)));
            }
        }
        assertTrue(ratios.get("MaxHeapFreeRatio") > HeapTrim.TRIM_FREE_PERCENT, "cells shrink the heap less than a trim");
        assertTrue(ratios.get("MinHeapFreeRatio") <= HeapTrim.TRIM_FREE_PERCENT,
                "a trim lowers MaxHeapFreeRatio to " + HeapTrim.TRIM_FREE_PERCENT + ", which must not be below MinHeapFreeRatio");
    }
}
