package io.rendercast.encoder.nvenc.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/** The few NVML functions the capability check calls (nvml.h). Every one returns an nvmlReturn_t. */
public interface Nvml extends Library {

    int SUCCESS = 0;
    /** nvmlEncoderType_t: NVML_ENCODER_QUERY_H264. */
    int ENCODER_QUERY_H264 = 0;

    int nvmlInit_v2();

    int nvmlShutdown();

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlDeviceGetCount_v2(IntByReference count);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    /** Percent of the encoder's capacity still free for a codec; 0 when the GPU has no encoder engine. */
    int nvmlDeviceGetEncoderCapacity(Pointer device, int encoderQueryType, IntByReference capacity);

    /** The number of encoder sessions running on the device (sessionInfos may be null to count only). */
    int nvmlDeviceGetEncoderSessions(Pointer device, IntByReference sessionCount, Pointer sessionInfos);

    /**
     * The device's PCI identity, nvmlPciInfo_t (v3): busIdLegacy[16], domain, bus, device, pciDeviceId,
     * pciSubSystemId, then busId[32] at byte 36 ("00000000:17:00.0"), which CUDA takes too.
     */
    int nvmlDeviceGetPciInfo_v3(Pointer device, byte[] pciInfo);

    /** Where busId starts in nvmlPciInfo_t. */
    int PCI_BUS_ID_OFFSET = 36;

    String nvmlErrorString(int result);
}
