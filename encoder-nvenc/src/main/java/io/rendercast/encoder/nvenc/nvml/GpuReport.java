package io.rendercast.encoder.nvenc.nvml;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What NVML says about this machine's GPUs and their encoders.
 *
 * @param driverProblem why NVML could not be asked (no driver, NVML failed), or null when it answered
 * @param driverVersion the NVIDIA driver's version, when NVML answered
 * @param gpus          each GPU with its H.264 encoder capacity and running sessions
 */
public record GpuReport(String driverProblem, String driverVersion, List<Gpu> gpus) {

    /**
     * @param encoderCapacity percent of the H.264 encoder free; 0 on a GPU without an NVENC engine, or with every
     *                        session taken
     * @param sessions        encoder sessions running now
     * @param pciBusId        the PCI bus id ("00000000:17:00.0"), by which CUDA opens this very GPU (CUDA's
     *                        device numbers need not follow NVML's), or null when NVML did not say
     */
    public record Gpu(int index, String name, int encoderCapacity, int sessions, String pciBusId) {

        /** An NVENC engine with room for one more session. */
        public boolean canEncode() {
            return encoderCapacity > 0;
        }
    }

    /** Asks NVML. Never throws: what went wrong is in {@link #driverProblem()}. */
    public static GpuReport read() {
        Nvml nvml;
        try {
            nvml = Native.load("nvidia-ml", Nvml.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            String detail = e.getMessage() == null ? e.toString() : e.getMessage().lines()
                    .filter(line -> line.contains("cannot open")).findFirst().orElse(e.getMessage().lines().findFirst()
                            .orElse("")).trim();
            return new GpuReport("no NVIDIA driver: NVML (libnvidia-ml.so) does not load here (" + detail + ")",
                    null, List.of());
        }
        int init = nvml.nvmlInit_v2();
        if (init != Nvml.SUCCESS) {
            return new GpuReport("the NVIDIA driver does not answer: nvmlInit failed with "
                    + nvml.nvmlErrorString(init) + " (" + init + ")", null, List.of());
        }
        try {
            byte[] version = new byte[80];
            nvml.nvmlSystemGetDriverVersion(version, version.length);
            IntByReference count = new IntByReference();
            int counted = nvml.nvmlDeviceGetCount_v2(count);
            if (counted != Nvml.SUCCESS) {
                return new GpuReport("NVML cannot count the GPUs: " + nvml.nvmlErrorString(counted), text(version),
                        List.of());
            }
            List<Gpu> gpus = new ArrayList<>();
            for (int i = 0; i < count.getValue(); i++) {
                PointerByReference handle = new PointerByReference();
                if (nvml.nvmlDeviceGetHandleByIndex_v2(i, handle) != Nvml.SUCCESS) {
                    continue;
                }
                Pointer device = handle.getValue();
                byte[] name = new byte[96];
                nvml.nvmlDeviceGetName(device, name, name.length);
                IntByReference capacity = new IntByReference();
                if (nvml.nvmlDeviceGetEncoderCapacity(device, Nvml.ENCODER_QUERY_H264, capacity) != Nvml.SUCCESS) {
                    capacity.setValue(0); // NOT_SUPPORTED: no encoder engine
                }
                IntByReference sessions = new IntByReference();
                if (nvml.nvmlDeviceGetEncoderSessions(device, sessions, null) != Nvml.SUCCESS) {
                    sessions.setValue(0);
                }
                byte[] pci = new byte[128];
                String busId = nvml.nvmlDeviceGetPciInfo_v3(device, pci) == Nvml.SUCCESS
                        ? text(java.util.Arrays.copyOfRange(pci, Nvml.PCI_BUS_ID_OFFSET, Nvml.PCI_BUS_ID_OFFSET + 32))
                        : null;
                gpus.add(new Gpu(i, text(name), capacity.getValue(), sessions.getValue(), busId));
            }
            return new GpuReport(null, text(version), gpus);
        } finally {
            nvml.nvmlShutdown();
        }
    }

    private static String text(byte[] cString) {
        int end = 0;
        while (end < cString.length && cString[end] != 0) {
            end++;
        }
        return new String(cString, 0, end, StandardCharsets.US_ASCII);
    }
}
