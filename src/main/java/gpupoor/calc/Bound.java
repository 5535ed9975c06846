package gpupoor.calc;

/** What limits a step: moving bytes or doing arithmetic. */
public enum Bound {
    /** Limited by memory bandwidth. */
    MEMORY,
    /** Limited by arithmetic throughput. */
    COMPUTE;

    /** {@code memory} or {@code compute}, as the original prints it. */
    @Override
    public String toString() {
        return this == MEMORY ? "memory" : "compute";
    }
}
