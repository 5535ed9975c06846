package gpupoor.calc;

import java.util.Locale;

/** The link several GPUs of one kind exchange activations over (tensor parallelism's all-reduces, a layer split's hops). */
public enum Interconnect {
    /** PCIe through the host (consumer cards, PCIe data-centre cards without a bridge). */
    PCIE,
    /** NVLink (a bridge, or the NVSwitch of an SXM board) or another scale-up link (Infinity Fabric). */
    NVLINK;

    /**
     * Parses {@code pcie} or {@code nvlink} (also {@code nvswitch}, {@code infinity-fabric}, {@code xgmi}), case-insensitively.
     *
     * @throws InvalidScenarioException naming the accepted values
     */
    public static Interconnect parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "pcie", "pci", "pci-e" -> PCIE;
            case "nvlink", "nvswitch", "infinity-fabric", "xgmi", "sxm" -> NVLINK;
            default -> throw new InvalidScenarioException("unknown " + Input.INTERCONNECT.words() + " '" + text
                    + "'; accepted: pcie, nvlink");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
