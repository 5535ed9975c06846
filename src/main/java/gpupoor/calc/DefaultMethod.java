package gpupoor.calc;

/** Our method. For now it gives the original's numbers; it is made accurate on modern models next. */
public final class DefaultMethod implements Method {

    /** The one instance. */
    public static final DefaultMethod INSTANCE = new DefaultMethod();

    /** The method's id. */
    public static final String ID = "default";

    private DefaultMethod() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Estimate estimate(Scenario scenario) {
        Estimate e = GpuPoorMethod.INSTANCE.estimate(scenario);
        return new Estimate(ID, e.memory(), e.speed(), e.training(), e.gpusNeeded(), e.notes(), e.assumptions());
    }
}
