package io.rendercast.encoder.nvenc;

import static io.rendercast.encoder.nvenc.NvencLibrary.check;
import static io.rendercast.encoder.nvenc.NvencLibrary.checkCuda;
import static org.bytedeco.nvcodec.global.nvencodeapi.*;

import io.rendercast.video.Canvas;
import io.rendercast.video.support.EncoderChecks;
import io.rendercast.video.CudaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.nvcodec.nvencodeapi.GUID;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENCODE_API_FUNCTION_LIST;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_CONFIG;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_CREATE_BITSTREAM_BUFFER;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_CREATE_INPUT_BUFFER;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_INITIALIZE_PARAMS;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_INPUT_PTR;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_LOCK_BITSTREAM;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_LOCK_INPUT_BUFFER;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_MAP_INPUT_RESOURCE;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_OUTPUT_PTR;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_PIC_PARAMS;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_PRESET_CONFIG;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_RC_PARAMS;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_RECONFIGURE_PARAMS;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_REGISTERED_PTR;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_REGISTER_RESOURCE;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_SEQUENCE_PARAM_PAYLOAD;

/**
 * H.264 on NVENC: one encode session on a CUDA context, low-latency tuning, CBR, no B-frames, IDR frames on
 * request.
 *
 * <p>Input comes from GPU memory ({@link #encode(CudaCanvas)}: NV12 or RGBA device buffers, registered with NVENC
 * once and mapped per frame, so no frame crosses to the host) or from an RGBA canvas in host memory, copied
 * into an NVENC input buffer with its rows flipped to top-down. The session runs on the device's primary
 * CUDA context, the one the runtime API and every binding in the process share (LWJGL's included): a
 * {@code CudaCanvas} allocated there by anyone is encoded with no handle passed around. The device is the one
 * the provider reported, found by its PCI bus id (CUDA's device numbers need not follow NVML's).
 */
final class NvencEncoder implements VideoEncoder {

    /** Parameter (read only, after init): the codecs this GPU's NVENC offers, such as "h264,hevc,av1". */
    static final String CODECS = "codecs";
    static final int MAX_DIMENSION = 4096;

    private final int gpu;
    private final String pciBusId;
    private final NvencCodec codec;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<Long, NV_ENC_REGISTERED_PTR> registered = new HashMap<>();
    private volatile boolean keyFrameRequested;
    private CUctx_st context;
    private int cudaDevice = -1; // whose primary context the session holds a reference to
    private NV_ENCODE_API_FUNCTION_LIST api;
    private Pointer session;
    private NV_ENC_INITIALIZE_PARAMS initialize;
    private NV_ENC_CONFIG config;
    private NV_ENC_INPUT_PTR hostInput;
    private NV_ENC_OUTPUT_PTR bitstream;
    private int width;
    private int height;
    private long frameIndex;

    /**
     * @param gpu      the GPU's NVML index, used when its PCI bus id is unknown
     * @param pciBusId the GPU's PCI bus id from NVML, or null
     */
    NvencEncoder(int gpu, String pciBusId, NvencCodec codec) {
        this.gpu = gpu;
        this.pciBusId = pciBusId;
        this.codec = codec;
        parameters.put(BITRATE, "2500000");
        parameters.put(FRAMERATE, "30");
        parameters.put(PRESET, "p3");
        if (codec == NvencCodec.H264) {
            parameters.put(PROFILE, "high");
        }
        parameters.put(KEYFRAME_INTERVAL, "2");
    }

    @Override
    public String identifier() {
        return codec.codecName;
    }

    @Override
    public synchronized VideoData init(int width, int height) throws VideoEncoderException {
        if (session != null) {
            throw new VideoEncoderException(Reason.ALREADY_INITIALIZED, "NVENC encoder is already initialised at "
                    + this.width + "x" + this.height);
        }
        EncoderChecks.resolution(codec.label, width, height, MAX_DIMENSION, true);
        String problem = NvencLibrary.loadProblem();
        if (problem != null) {
            throw new VideoEncoderException(Reason.LIBRARY_FAILURE, problem);
        }
        this.width = width;
        this.height = height;
        try {
            openSession();
            List<String> codecs = supportedCodecs();
            if (!codecs.contains(codec.codecName)) {
                throw new VideoEncoderException(Reason.NO_DEVICE, "this GPU's NVENC does not encode "
                        + codec.codecName + "; it encodes " + codecs);
            }
            configure();
            createBuffers();
            VideoData sequenceHeaders = sequenceHeaders();
            parameters.put(CODECS, String.join(",", supportedCodecs()));
            keyFrameRequested = true;
            return sequenceHeaders;
        } catch (VideoEncoderException | RuntimeException e) {
            release();
            throw e;
        }
    }

    private void openSession() throws VideoEncoderException {
        checkCuda(cudart.cuInit(0), "cuInit");
        IntPointer device = new IntPointer(1);
        if (pciBusId != null) {
            checkCuda(cudart.cuDeviceGetByPCIBusId(device, pciBusId), "cuDeviceGetByPCIBusId(" + pciBusId + ")");
        } else {
            checkCuda(cudart.cuDeviceGet(device, gpu), "cuDeviceGet(" + gpu + ")");
        }
        CUctx_st primary = new CUctx_st();
        checkCuda(cudart.cuDevicePrimaryCtxRetain(primary, device.get()), "cuDevicePrimaryCtxRetain");
        context = primary;
        cudaDevice = device.get();
        api = new NV_ENCODE_API_FUNCTION_LIST();
        api.version(NV_ENCODE_API_FUNCTION_LIST_VER());
        check(NvEncodeAPICreateInstance(api), "NvEncodeAPICreateInstance");
        NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS open = new NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS();
        open.version(NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS_VER());
        open.deviceType(NV_ENC_DEVICE_TYPE_CUDA);
        open.device(context);
        open.apiVersion(NVENCAPI_VERSION);
        PointerPointer<Pointer> opened = new PointerPointer<>(1);
        check(api.nvEncOpenEncodeSessionEx().call(open, opened), "nvEncOpenEncodeSessionEx");
        session = opened.get(0);
    }

    private void configure() throws VideoEncoderException {
        int fps = (int) Math.round(Double.parseDouble(parameters.get(FRAMERATE)));
        GUID preset = presetGuid(parameters.get(PRESET));
        NV_ENC_PRESET_CONFIG presetConfig = new NV_ENC_PRESET_CONFIG();
        presetConfig.version(NV_ENC_PRESET_CONFIG_VER());
        presetConfig.presetCfg().version(NV_ENC_CONFIG_VER());
        check(api.nvEncGetEncodePresetConfigEx().call(session, codec.codecGuid(), preset,
                NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY, presetConfig), "nvEncGetEncodePresetConfigEx");
        config = new NV_ENC_CONFIG();
        Pointer.memcpy(config, presetConfig.presetCfg(), config.sizeof());
        config.version(NV_ENC_CONFIG_VER());
        config.profileGUID(codec.profileGuid(parameters.get(PROFILE)));
        long keyFrameFrames = EncoderChecks.keyFrameFrames(parameters.get(KEYFRAME_INTERVAL), fps);
        int gop = keyFrameFrames == 0 ? NVENC_INFINITE_GOPLENGTH : (int) Math.min(Integer.MAX_VALUE, keyFrameFrames);
        config.gopLength(gop);
        config.frameIntervalP(1); // I and P frames only: decode order is display order
        applyBitrate(config.rcParams(), Integer.parseInt(parameters.get(BITRATE)), fps);
        codec.configure(config, gop); // the parameter sets go once, as the sequence header

        initialize = new NV_ENC_INITIALIZE_PARAMS();
        initialize.version(NV_ENC_INITIALIZE_PARAMS_VER());
        initialize.encodeGUID(codec.codecGuid());
        initialize.presetGUID(preset);
        initialize.tuningInfo(NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY);
        initialize.encodeWidth(width).encodeHeight(height).darWidth(width).darHeight(height);
        initialize.maxEncodeWidth(width).maxEncodeHeight(height);
        initialize.frameRateNum(fps).frameRateDen(1);
        initialize.enablePTD(1);
        initialize.encodeConfig(config);
        check(api.nvEncInitializeEncoder().call(session, initialize), "nvEncInitializeEncoder");
    }

    private static void applyBitrate(NV_ENC_RC_PARAMS rc, int bitrate, int fps) {
        rc.rateControlMode(NV_ENC_PARAMS_RC_CBR);
        rc.averageBitRate(bitrate);
        rc.maxBitRate(bitrate);
        // One frame's worth of buffer: the lowest latency CBR allows.
        rc.vbvBufferSize(bitrate / Math.max(1, fps));
        rc.vbvInitialDelay(bitrate / Math.max(1, fps));
    }

    private static GUID presetGuid(String preset) throws VideoEncoderException {
        return switch (preset) {
            case "p1" -> NV_ENC_PRESET_P1_GUID();
            case "p2" -> NV_ENC_PRESET_P2_GUID();
            case "p3" -> NV_ENC_PRESET_P3_GUID();
            case "p4" -> NV_ENC_PRESET_P4_GUID();
            case "p5" -> NV_ENC_PRESET_P5_GUID();
            case "p6" -> NV_ENC_PRESET_P6_GUID();
            case "p7" -> NV_ENC_PRESET_P7_GUID();
            default -> throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "unknown NVENC preset '" + preset
                    + "'; expected p1 (fastest) to p7 (best quality)");
        };
    }

    private void createBuffers() throws VideoEncoderException {
        NV_ENC_CREATE_INPUT_BUFFER input = new NV_ENC_CREATE_INPUT_BUFFER();
        input.version(NV_ENC_CREATE_INPUT_BUFFER_VER());
        input.width(width).height(height).bufferFmt(NV_ENC_BUFFER_FORMAT_ABGR); // bytes R, G, B, A in memory
        check(api.nvEncCreateInputBuffer().call(session, input), "nvEncCreateInputBuffer");
        hostInput = input.inputBuffer();
        NV_ENC_CREATE_BITSTREAM_BUFFER output = new NV_ENC_CREATE_BITSTREAM_BUFFER();
        output.version(NV_ENC_CREATE_BITSTREAM_BUFFER_VER());
        check(api.nvEncCreateBitstreamBuffer().call(session, output), "nvEncCreateBitstreamBuffer");
        bitstream = output.bitstreamBuffer();
    }

    private VideoData sequenceHeaders() throws VideoEncoderException {
        int capacity = 1024;
        BytePointer buffer = new BytePointer(capacity);
        IntPointer size = new IntPointer(1);
        try {
            NV_ENC_SEQUENCE_PARAM_PAYLOAD payload = new NV_ENC_SEQUENCE_PARAM_PAYLOAD();
            payload.version(NV_ENC_SEQUENCE_PARAM_PAYLOAD_VER());
            payload.inBufferSize(capacity).spsppsBuffer(buffer).outSPSPPSPayloadSize(size);
            check(api.nvEncGetSequenceParams().call(session, payload), "nvEncGetSequenceParams");
            byte[] headers = new byte[size.get()];
            buffer.get(headers);
            return VideoData.copyOf(headers, true);
        } finally {
            buffer.close();
            size.close();
        }
    }

    /** The codecs this GPU's NVENC can encode: the capability query of the session. */
    private List<String> supportedCodecs() throws VideoEncoderException {
        IntPointer count = new IntPointer(1);
        check(api.nvEncGetEncodeGUIDCount().call(session, count), "nvEncGetEncodeGUIDCount");
        GUID guids = new GUID(count.get());
        IntPointer returned = new IntPointer(1);
        check(api.nvEncGetEncodeGUIDs().call(session, guids, count.get(), returned), "nvEncGetEncodeGUIDs");
        List<String> codecs = new ArrayList<>();
        for (int i = 0; i < returned.get(); i++) {
            GUID guid = guids.getPointer(i);
            if (sameGuid(guid, NV_ENC_CODEC_H264_GUID())) {
                codecs.add("h264");
            } else if (sameGuid(guid, NV_ENC_CODEC_HEVC_GUID())) {
                codecs.add("hevc");
            } else if (sameGuid(guid, NV_ENC_CODEC_AV1_GUID())) {
                codecs.add("av1");
            }
        }
        return codecs;
    }

    private static boolean sameGuid(GUID a, GUID b) {
        return a.Data1() == b.Data1() && a.Data2() == b.Data2() && a.Data3() == b.Data3()
                && java.util.Arrays.equals(bytes(a), bytes(b));
    }

    private static byte[] bytes(GUID guid) {
        byte[] data = new byte[8];
        guid.Data4().get(data);
        return data;
    }

    @Override
    public synchronized boolean isInitialized() {
        return session != null;
    }

    @Override
    public synchronized void setParameter(String name, String value) throws VideoEncoderException {
        switch (name) {
            case BITRATE -> {
                int bitrate = (int) EncoderChecks.positiveNumber(name, value, Integer.MAX_VALUE);
                if (session != null) {
                    reconfigureBitrate(bitrate);
                }
            }
            case FRAMERATE -> {
                EncoderChecks.positiveNumber(name, value, 240);
                EncoderChecks.beforeInit(session != null, name);
            }
            case KEYFRAME_INTERVAL -> {
                EncoderChecks.keyFrameFrames(value, 30);
                EncoderChecks.beforeInit(session != null, name);
            }
            case PRESET -> {
                presetGuid(value);
                EncoderChecks.beforeInit(session != null, name);
            }
            case PROFILE -> {
                if (codec != NvencCodec.H264 || !java.util.Set.of("baseline", "main", "high").contains(value)) {
                    throw new VideoEncoderException(Reason.INVALID_PARAMETERS, codec == NvencCodec.H264
                            ? "unknown NVENC H.264 profile '" + value + "'; expected baseline, main or high"
                            : "unknown parameter 'profile' for NVENC's " + codec + "; H.264 has profiles here");
                }
                EncoderChecks.beforeInit(session != null, name);
            }
            default -> throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "unknown parameter '" + name
                    + "'; NVENC takes bitrate, framerate, keyframe-interval, preset and (H.264) profile");
        }
        parameters.put(name, value);
    }

    private void reconfigureBitrate(int bitrate) throws VideoEncoderException {
        applyBitrate(config.rcParams(), bitrate, initialize.frameRateNum());
        NV_ENC_RECONFIGURE_PARAMS reconfigure = new NV_ENC_RECONFIGURE_PARAMS();
        reconfigure.version(NV_ENC_RECONFIGURE_PARAMS_VER());
        reconfigure.reInitEncodeParams(initialize);
        check(api.nvEncReconfigureEncoder().call(session, reconfigure), "nvEncReconfigureEncoder");
    }

    @Override
    public synchronized String getParameter(String name) {
        return parameters.get(name);
    }

    @Override
    public List<String> supportedTypes() {
        return List.of(Canvas.RGBA, "NV12");
    }

    @Override
    public synchronized VideoData encode(Canvas canvas) throws VideoEncoderException {
        requireInitialized();
        if (!Canvas.RGBA.equals(canvas.type()) || canvas.resolutionX() != width || canvas.resolutionY() != height) {
            throw new VideoEncoderException(Reason.UNSUPPORTED_CANVAS, "NVENC encoder takes " + width + "x" + height
                    + " " + Canvas.RGBA + " canvases, got " + canvas.resolutionX() + "x" + canvas.resolutionY() + " "
                    + canvas.type());
        }
        NV_ENC_LOCK_INPUT_BUFFER lock = new NV_ENC_LOCK_INPUT_BUFFER();
        lock.version(NV_ENC_LOCK_INPUT_BUFFER_VER());
        lock.inputBuffer(hostInput);
        check(api.nvEncLockInputBuffer().call(session, lock), "nvEncLockInputBuffer");
        int pitch = lock.pitch();
        try {
            BytePointer target = new BytePointer(lock.bufferDataPtr());
            BytePointer rgba = new BytePointer(canvas.tile(0).data());
            int rowBytes = width * 4;
            for (int row = 0; row < height; row++) {
                // Canvas rows run bottom-up; NVENC's run top-down.
                Pointer.memcpy(target.position((long) row * pitch),
                        rgba.position((long) (height - 1 - row) * rowBytes), rowBytes);
            }
        } finally {
            check(api.nvEncUnlockInputBuffer().call(session, hostInput), "nvEncUnlockInputBuffer");
        }
        return encodePicture(hostInput, NV_ENC_BUFFER_FORMAT_ABGR, pitch);
    }

    @Override
    public synchronized VideoData encode(CudaCanvas canvas) throws VideoEncoderException {
        requireInitialized();
        int format = switch (canvas.format()) {
            case "NV12" -> NV_ENC_BUFFER_FORMAT_NV12;
            case Canvas.RGBA -> NV_ENC_BUFFER_FORMAT_ABGR;
            default -> throw new VideoEncoderException(Reason.UNSUPPORTED_CANVAS, "NVENC encoder takes NV12 or "
                    + Canvas.RGBA + " device memory, got " + canvas.format());
        };
        if (canvas.resolutionX() != width || canvas.resolutionY() != height) {
            throw new VideoEncoderException(Reason.UNSUPPORTED_CANVAS, "canvas is " + canvas.resolutionX() + "x"
                    + canvas.resolutionY() + " but the encoder was initialised at " + width + "x" + height);
        }
        if (canvas.cudaContext() != 0 && canvas.cudaContext() != context.address()) {
            throw new VideoEncoderException(Reason.UNSUPPORTED_CANVAS, "the canvas's memory belongs to another CUDA "
                    + "context than the primary one of the encoder's GPU (" + (pciBusId == null ? "GPU " + gpu
                    : pciBusId) + "): allocate it in that device's primary context");
        }
        NV_ENC_REGISTERED_PTR resource = registered.get(canvas.devicePointer());
        if (resource == null) {
            resource = register(canvas, format);
            registered.put(canvas.devicePointer(), resource);
        }
        NV_ENC_MAP_INPUT_RESOURCE map = new NV_ENC_MAP_INPUT_RESOURCE();
        map.version(NV_ENC_MAP_INPUT_RESOURCE_VER());
        map.registeredResource(resource);
        check(api.nvEncMapInputResource().call(session, map), "nvEncMapInputResource");
        try {
            return encodePicture(map.mappedResource(), map.mappedBufferFmt(), (int) canvas.pitch());
        } finally {
            check(api.nvEncUnmapInputResource().call(session, map.mappedResource()), "nvEncUnmapInputResource");
        }
    }

    private NV_ENC_REGISTERED_PTR register(CudaCanvas canvas, int format) throws VideoEncoderException {
        long address = canvas.devicePointer();
        NV_ENC_REGISTER_RESOURCE register = new NV_ENC_REGISTER_RESOURCE();
        register.version(NV_ENC_REGISTER_RESOURCE_VER());
        register.resourceType(NV_ENC_INPUT_RESOURCE_TYPE_CUDADEVICEPTR);
        register.width(width).height(height).pitch((int) canvas.pitch());
        register.resourceToRegister(new Pointer() {
            {
                this.address = address;
            }
        });
        register.bufferFormat(format);
        register.bufferUsage(NV_ENC_INPUT_IMAGE);
        check(api.nvEncRegisterResource().call(session, register), "nvEncRegisterResource");
        return register.registeredResource();
    }

    private VideoData encodePicture(NV_ENC_INPUT_PTR input, int format, int pitch) throws VideoEncoderException {
        NV_ENC_PIC_PARAMS picture = new NV_ENC_PIC_PARAMS();
        picture.version(NV_ENC_PIC_PARAMS_VER());
        picture.inputWidth(width).inputHeight(height).inputPitch(pitch);
        picture.inputBuffer(input).outputBitstream(bitstream).bufferFmt(format);
        picture.pictureStruct(NV_ENC_PIC_STRUCT_FRAME);
        picture.frameIdx((int) frameIndex).inputTimeStamp(frameIndex++);
        if (keyFrameRequested) {
            keyFrameRequested = false;
            picture.encodePicFlags(NV_ENC_PIC_FLAG_FORCEIDR);
        }
        int status = api.nvEncEncodePicture().call(session, picture);
        if (status == NV_ENC_ERR_NEED_MORE_INPUT) {
            return VideoData.EMPTY;
        }
        check(status, "nvEncEncodePicture");
        NV_ENC_LOCK_BITSTREAM lock = new NV_ENC_LOCK_BITSTREAM();
        lock.version(NV_ENC_LOCK_BITSTREAM_VER());
        lock.outputBitstream(bitstream);
        check(api.nvEncLockBitstream().call(session, lock), "nvEncLockBitstream");
        try {
            byte[] frame = new byte[lock.bitstreamSizeInBytes()];
            new BytePointer(lock.bitstreamBufferPtr()).get(frame);
            boolean key = lock.pictureType() == NV_ENC_PIC_TYPE_IDR || lock.pictureType() == NV_ENC_PIC_TYPE_I;
            return VideoData.copyOf(frame, key);
        } finally {
            check(api.nvEncUnlockBitstream().call(session, bitstream), "nvEncUnlockBitstream");
        }
    }

    private void requireInitialized() throws VideoEncoderException {
        if (session == null) {
            throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "encode called before init");
        }
    }

    @Override
    public void requestKeyFrame() {
        keyFrameRequested = true;
    }

    /** Frees the session, its buffers and registrations, and its reference to the primary context. */
    @Override
    public synchronized VideoData close() {
        release();
        return VideoData.EMPTY;
    }

    private void release() {
        if (session != null) {
            for (NV_ENC_REGISTERED_PTR resource : registered.values()) {
                api.nvEncUnregisterResource().call(session, resource);
            }
            registered.clear();
            if (hostInput != null) {
                api.nvEncDestroyInputBuffer().call(session, hostInput);
                hostInput = null;
            }
            if (bitstream != null) {
                api.nvEncDestroyBitstreamBuffer().call(session, bitstream);
                bitstream = null;
            }
            api.nvEncDestroyEncoder().call(session);
            session = null;
        }
        if (cudaDevice >= 0) {
            cudart.cuDevicePrimaryCtxRelease(cudaDevice);
            cudaDevice = -1;
        }
        context = null;
    }
}
