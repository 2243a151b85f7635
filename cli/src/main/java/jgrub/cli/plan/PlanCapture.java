package jgrub.cli.plan;

import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;

/**
 * Wraps a boot protocol so that a machine run stops right after planning: the firmware report and the plan are kept,
 * and the machine is refused the handoff (by {@link #STOP}, which the caller tells apart from a real refusal). So the
 * guest runs only its firmware and jgrub's ROM, never the image.
 */
public final class PlanCapture implements BootProtocol {

    private final BootProtocol inner;
    private final BootException stop = new BootException("stopped after planning (jgrub plan)");
    private volatile Firmware firmware;
    private volatile BootPlan plan;

    public PlanCapture(BootProtocol inner) {
        this.inner = inner;
    }

    @Override
    public BootPlan plan(Firmware reported) throws BootException {
        return plan(reported, null);
    }

    @Override
    public BootPlan plan(Firmware reported, Guest guest) throws BootException {
        firmware = reported;
        plan = guest == null ? inner.plan(reported) : inner.plan(reported, guest);
        throw stop;
    }

    /** Whether {@code e} is this capture's own stop rather than a failure. */
    public boolean isStop(BootException e) {
        return e == stop;
    }

    public Optional<Firmware> firmware() {
        return Optional.ofNullable(firmware);
    }

    public Optional<BootPlan> plan() {
        return Optional.ofNullable(plan);
    }
}
