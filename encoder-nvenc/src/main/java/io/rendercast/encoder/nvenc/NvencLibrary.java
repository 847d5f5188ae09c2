package io.rendercast.encoder.nvenc;

import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import java.lang.reflect.Field;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.nvcodec.global.nvencodeapi;

/** Loads the CUDA driver API and NVENC bindings once, and names NVENC's status codes. */
final class NvencLibrary {

    private static volatile String loadProblem;
    private static volatile boolean tried;

    private NvencLibrary() {
    }

    /** Why the libraries do not load here (the driver's libcuda and libnvidia-encode), or null when they do. */
    static synchronized String loadProblem() {
        if (!tried) {
            tried = true;
            try {
                Loader.load(cudart.class);
                Loader.load(nvencodeapi.class);
            } catch (Throwable e) {
                loadProblem = "the CUDA and NVENC libraries do not load (the NVIDIA driver provides libcuda.so.1 and "
                        + "libnvidia-encode.so.1): " + e;
            }
        }
        return loadProblem;
    }

    /** Throws LIBRARY_FAILURE naming the call and the NVENC status when {@code status} is not success. */
    static void check(int status, String call) throws VideoEncoderException {
        if (status != nvencodeapi.NV_ENC_SUCCESS) {
            Reason reason = status == nvencodeapi.NV_ENC_ERR_NO_ENCODE_DEVICE
                    || status == nvencodeapi.NV_ENC_ERR_UNSUPPORTED_DEVICE ? Reason.NO_DEVICE : Reason.LIBRARY_FAILURE;
            throw new VideoEncoderException(reason, call + " failed: " + statusName(status) + " (" + status + ")");
        }
    }

    /** Throws LIBRARY_FAILURE naming the call when a CUDA driver call fails. */
    static void checkCuda(int status, String call) throws VideoEncoderException {
        if (status != 0) {
            throw new VideoEncoderException(status == 100 ? Reason.NO_DEVICE : Reason.LIBRARY_FAILURE,
                    call + " failed with CUDA error " + status);
        }
    }

    private static String statusName(int status) {
        for (Field field : nvencodeapi.class.getFields()) {
            if (field.getName().startsWith("NV_ENC_ERR_") && field.getType() == int.class) {
                try {
                    if (field.getInt(null) == status) {
                        return field.getName();
                    }
                } catch (IllegalAccessException e) {
                    break;
                }
            }
        }
        return "NVENC status";
    }
}
