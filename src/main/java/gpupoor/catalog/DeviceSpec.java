package gpupoor.catalog;

import gpupoor.calc.Hardware;
import gpupoor.calc.Input;
import gpupoor.calc.InvalidScenarioException;
import gpupoor.calc.NumberText;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device described by its figures rather than by a catalog id:
 * {@code memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS}, optionally with {@code fp8=…TFLOPS},
 * {@code int8=…TOPS}, {@code bf16=…}, {@code fp32=…TFLOPS}, {@code memory-type=HBM3},
 * {@code name=…} and {@code kind=gpu|apple|cpu}; or a catalog device with some figures replaced
 * ({@code --gpu rtx-4090 --gpu-spec memory=48GiB}, {@code gpu("rtx-4090").withMemory(48)}).
 * Every figure is written with its unit, so that a number is never read in the wrong one:
 * memory in GiB (a vendor's "16 GB" card has 16 GiB, so GB counts as GiB, as in
 * {@code hardware.csv}), MiB or TiB; bandwidth in decimal GB/s, TB/s or MB/s (or GiB/s); compute
 * in TFLOPS, GFLOPS or PFLOPS (TOPS for int8).
 *
 * <p>What a new device needs: memory (not for a CPU, whose RAM is the user's), bandwidth, and the
 * 16-bit matrix rate ({@code fp16}; a CPU's {@code fp32}). Unless given, bf16 runs at the fp16
 * rate, an Apple GPU's fp32 at its fp16 rate, a GPU's memory is GDDR (give
 * {@code memory-type=HBM3} for an HBM part: the calibration tells the two apart).
 */
public final class DeviceSpec {

    /** The figures a spec may give. */
    public enum Field {
        /** Device memory, GiB. */
        MEMORY("memory", "16GiB"),
        /** Memory bandwidth, decimal GB/s. */
        BANDWIDTH("bandwidth", "448GB/s"),
        /** Dense 16-bit (fp16) matrix throughput, TFLOPS. */
        FP16("fp16", "47TFLOPS"),
        /** Dense bf16 matrix throughput, TFLOPS (default: the fp16 figure). */
        BF16("bf16", "47TFLOPS"),
        /** Dense fp8 matrix throughput, TFLOPS. */
        FP8("fp8", "94TFLOPS"),
        /** Dense int8 matrix throughput, TOPS. */
        INT8("int8", "188TOPS"),
        /** Non-tensor fp32 throughput, TFLOPS. */
        FP32("fp32", "24TFLOPS");

        private final String key;
        private final String example;

        Field(String key, String example) {
            this.key = key;
            this.example = example;
        }

        /** The field's name in a spec. */
        public String key() {
            return key;
        }
    }

    private static final Pattern AMOUNT = Pattern.compile("\\s*(\\+?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*([A-Za-z/]*)\\s*");
    private static final double MAX = 1e7;
    private static final List<String> TEXT_KEYS = List.of("name", "kind", "memory-type");

    private DeviceSpec() {
    }

    /** Whether {@code text} is a spec ({@code key=value,…}) rather than a device id. */
    public static boolean isSpec(String text) {
        return text != null && text.contains("=");
    }

    /**
     * The device a spec describes: a new one of {@code kind} (unless the spec's {@code kind=} says
     * otherwise), or {@code base} with the figures the spec gives replaced.
     *
     * @param base the catalog device to change, or null for a new device
     * @throws InvalidScenarioException naming the field and the unit that is wrong or missing
     */
    public static Hardware parse(String text, Hardware.Kind kind, Hardware base) {
        String spec = text == null ? "" : text.trim();
        if (spec.isEmpty()) {
            throw error(spec, "a device spec lists figures with their units, e.g. memory=16GiB,bandwidth=448GB/s,fp16=47TFLOPS");
        }
        Map<Field, Double> figures = new EnumMap<>(Field.class);
        Map<String, String> words = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw error(spec, "'" + part.trim() + "' is not key=value; " + fieldList());
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('_', '-');
            String value = part.substring(eq + 1).trim();
            if (TEXT_KEYS.contains(key)) {
                if (value.isEmpty()) {
                    throw error(spec, key + " is empty");
                }
                words.put(key, value);
                continue;
            }
            Field field = field(key);
            if (field == null) {
                List<String> keys = new java.util.ArrayList<>(TEXT_KEYS);
                for (Field f : Field.values()) {
                    keys.add(f.key);
                }
                String close = gpupoor.calc.Names.didYouMean(key, keys);
                throw error(spec, "unknown field '" + key + "'" + (close.isEmpty() ? "" : close.replace("; did", " (did")
                        .replace("?", "?)")) + "; " + fieldList());
            }
            if (figures.containsKey(field)) {
                throw error(spec, field.key + " is given twice");
            }
            figures.put(field, amount(spec, field, value));
        }
        Hardware.Kind k = words.containsKey("kind") ? kind(spec, words.get("kind")) : base != null ? base.kind() : kind;
        return build(spec, k, base, figures, words.get("name"), words.get("memory-type"));
    }

    /**
     * {@code base} with some figures replaced (the DSL's {@code withMemory(..)} and its siblings).
     *
     * @throws InvalidScenarioException for a figure that is not a positive number
     */
    public static Hardware override(Hardware base, Field field, double value) {
        String spec = field.key + "=" + text(value);
        if (!(value > 0) || value >= MAX) {
            throw error(spec, field.key + " must be a positive number below " + NumberText.plain(MAX) + ", got "
                    + text(value));
        }
        return build(spec, base.kind(), base, Map.of(field, value), null, null);
    }

    private static Hardware build(String spec, Hardware.Kind kind, Hardware base, Map<Field, Double> f, String name,
                                  String memoryType) {
        if (base == null) {
            List<Field> needed = switch (kind) {
                case GPU, APPLE -> List.of(Field.MEMORY, Field.BANDWIDTH, Field.FP16);
                case CPU -> List.of(Field.BANDWIDTH);
            };
            for (Field n : needed) {
                if (!f.containsKey(n)) {
                    throw error(spec, "a new " + kindWord(kind) + " needs " + n.key + " (e.g. " + n.key + "=" + n.example
                            + "); it needs " + String.join(", ", needed.stream().map(x -> x.key).toList()));
                }
            }
            if (kind == Hardware.Kind.CPU && !f.containsKey(Field.FP32) && !f.containsKey(Field.FP16)) {
                throw error(spec, "a new CPU needs its compute rate: fp32 (e.g. fp32=2TFLOPS)");
            }
        }
        double memory = pick(f, Field.MEMORY, base == null ? 0 : base.memoryGiB());
        double bandwidth = pick(f, Field.BANDWIDTH, base == null ? 0 : base.bandwidthGBs());
        double fp16 = pick(f, Field.FP16, base == null ? 0 : base.fp16Tflops());
        double bf16 = pick(f, Field.BF16, base == null ? (kind == Hardware.Kind.GPU ? fp16 : 0) : base.bf16Tflops());
        double fp8 = pick(f, Field.FP8, base == null ? 0 : base.fp8Tflops());
        double int8 = pick(f, Field.INT8, base == null ? 0 : base.int8Tops());
        double fp32 = pick(f, Field.FP32, base == null ? (kind == Hardware.Kind.APPLE ? fp16 : 0) : base.fp32Tflops());
        String type = memoryType != null ? memoryType.toUpperCase(Locale.ROOT)
                : base != null ? base.memoryType() : switch (kind) {
                    case GPU -> "GDDR";
                    case APPLE -> "LPDDR5";
                    case CPU -> "DDR5";
                };
        String id;
        String label;
        if (base == null) {
            label = name != null ? name : "custom " + kindWord(kind) + " (" + describe(f) + ")";
            id = name != null ? slug(name) : "custom-" + kind.name().toLowerCase(Locale.ROOT);
        } else {
            id = (name != null ? slug(name) : base.id() + "-custom");
            label = name != null ? name : base.name() + " (" + describe(f) + ")";
        }
        Hardware.CpuMemory cpu = base != null && kind == Hardware.Kind.CPU && !f.containsKey(Field.BANDWIDTH)
                ? base.cpuMemory() : null;
        return new Hardware(id, label, kind, memory, bandwidth, fp32, fp16, bf16, fp8, int8, cpu, null, type);
    }

    private static double pick(Map<Field, Double> f, Field field, double fallback) {
        Double v = f.get(field);
        return v != null ? v : fallback;
    }

    /** The figures given, in words: {@code memory 48 GiB, bandwidth 1200 GB/s}. */
    private static String describe(Map<Field, Double> f) {
        StringBuilder sb = new StringBuilder();
        f.forEach((field, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(field.key).append(' ')
                .append(text(v)).append(switch (field) {
                    case MEMORY -> " GiB";
                    case BANDWIDTH -> " GB/s";
                    case INT8 -> " TOPS";
                    default -> " TFLOPS";
                }));
        return sb.toString();
    }

    private static Field field(String key) {
        for (Field f : Field.values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        return switch (key) {
            case "mem", "vram", "memory-gib" -> Field.MEMORY;
            case "bw", "bandwidth-gbs" -> Field.BANDWIDTH;
            default -> null;
        };
    }

    /** A figure in the field's unit, from {@code 16GiB}, {@code 3.35TB/s}, {@code 989TFLOPS}. */
    private static double amount(String spec, Field field, String value) {
        Matcher m = AMOUNT.matcher(value);
        if (!m.matches()) {
            throw error(spec, field.key + "=" + value + " is not a number with a unit, e.g. " + field.key + "=" + field.example);
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (unit.isEmpty()) {
            throw error(spec, field.key + "=" + value + " needs a unit: " + field.key + "=" + m.group(1)
                    + unitList(field).get(0) + " (" + String.join(", ", unitList(field)) + ")");
        }
        Double scale = switch (field) {
            case MEMORY -> switch (unit) {
                case "gib", "gb", "g" -> 1.0;
                case "mib", "mb", "m" -> 1 / 1024.0;
                case "tib", "tb", "t" -> 1024.0;
                default -> null;
            };
            case BANDWIDTH -> switch (unit) {
                case "gb/s", "gbps", "gbs" -> 1.0;
                case "tb/s", "tbps", "tbs" -> 1000.0;
                case "mb/s", "mbps", "mbs" -> 1 / 1000.0;
                case "gib/s" -> 1.073741824;
                default -> null;
            };
            case INT8 -> switch (unit) {
                case "tops", "tflops", "tflop/s" -> 1.0;
                case "gops", "gflops" -> 1 / 1000.0;
                case "pops", "pflops" -> 1000.0;
                default -> null;
            };
            default -> switch (unit) {
                case "tflops", "tflop/s", "tf" -> 1.0;
                case "gflops", "gflop/s" -> 1 / 1000.0;
                case "pflops", "pflop/s" -> 1000.0;
                default -> null;
            };
        };
        if (scale == null) {
            throw error(spec, field.key + "=" + value + ": '" + m.group(2) + "' is not a unit of "
                    + (field == Field.MEMORY ? "memory" : field == Field.BANDWIDTH ? "bandwidth" : "throughput")
                    + "; use " + String.join(", ", unitList(field)));
        }
        double result = v * scale;
        if (!(result > 0) || result >= MAX) {
            throw error(spec, field.key + "=" + value + " must be positive and below " + NumberText.plain(MAX)
                    + unitList(field).get(0));
        }
        return result;
    }

    private static List<String> unitList(Field field) {
        return switch (field) {
            case MEMORY -> List.of("GiB", "GB", "MiB", "TiB");
            case BANDWIDTH -> List.of("GB/s", "TB/s", "MB/s", "GiB/s");
            case INT8 -> List.of("TOPS", "GOPS", "POPS");
            default -> List.of("TFLOPS", "GFLOPS", "PFLOPS");
        };
    }

    private static Hardware.Kind kind(String spec, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "gpu" -> Hardware.Kind.GPU;
            case "apple" -> Hardware.Kind.APPLE;
            case "cpu" -> Hardware.Kind.CPU;
            default -> throw error(spec, "kind=" + text + ": the kinds are gpu, apple and cpu");
        };
    }

    private static String kindWord(Hardware.Kind kind) {
        return switch (kind) {
            case GPU -> "GPU";
            case APPLE -> "Apple chip";
            case CPU -> "CPU";
        };
    }

    private static String fieldList() {
        StringBuilder sb = new StringBuilder("the fields are ");
        for (Field f : Field.values()) {
            sb.append(f.key).append(" (e.g. ").append(f.key).append('=').append(f.example).append("), ");
        }
        return sb.append("name, kind (gpu, apple or cpu) and memory-type (e.g. GDDR7, HBM3)").toString();
    }

    private static String text(double v) {
        return Double.isFinite(v) ? NumberText.plain(v) : String.valueOf(v);
    }

    private static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.+]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "custom" : s;
    }

    private static InvalidScenarioException error(String spec, String what) {
        return new InvalidScenarioException(Input.DEVICE_SPEC.ref(spec) + ": " + what);
    }
}
