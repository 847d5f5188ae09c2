package io.rendercast.video;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds video encoder providers and picks one for a codec.
 *
 * <p>The choice is {@code auto} (the available provider of highest priority) or a provider's name, which applies
 * to the codec that provider encodes (other codecs are then chosen automatically). The default choice comes from
 * the system property {@value #CHOICE_PROPERTY}.
 */
public final class VideoEncoders {

    /** The system property that holds the default encoder choice. */
    public static final String CHOICE_PROPERTY = "rendercast.encoder";
    /** Picks the best available provider. */
    public static final String AUTO = "auto";
    private static final String SOFTWARE = "software";
    private static final String NVENC = "nvenc";

    /** Rendercast's own providers by name, and the artifact and module that bring each one. */
    private static final Map<String, String> SHIPPED = Map.of(
            "x264", SOFTWARE, "x265", SOFTWARE, "svt-av1", SOFTWARE, "sorenson", SOFTWARE, "screen-video", SOFTWARE,
            "nvenc", NVENC, "nvenc-hevc", NVENC, "nvenc-av1", NVENC);
    private static final String SOFTWARE_ARTIFACT =
            "io.rendercast:encoder-software (module io.rendercast.encoder.software)";
    private static final String NVENC_ARTIFACT = "io.rendercast:encoder-nvenc (module io.rendercast.encoder.nvenc)";

    private VideoEncoders() {
    }

    /**
     * What to add to the module path for a provider of Rendercast's own, or for a codec none of the providers
     * found encodes; empty when there is nothing to say.
     */
    static String whatToAdd(String providerName, String codec) {
        String artifact = providerName == null ? null : SHIPPED.get(providerName);
        if (artifact != null) {
            return "; '" + providerName + "' comes with " + (artifact.equals(SOFTWARE) ? SOFTWARE_ARTIFACT
                    : NVENC_ARTIFACT) + ": add it to the module path";
        }
        if (providerName != null) {
            return "";
        }
        if (List.of("h264", "hevc", "av1").contains(codec)) {
            return "; add " + SOFTWARE_ARTIFACT + " or " + NVENC_ARTIFACT + " to the module path";
        }
        return List.of("flv", "screen video").contains(codec) ? "; add " + SOFTWARE_ARTIFACT + " to the module path"
                : "";
    }

    /** Every provider on the module path, in no particular order. */
    public static List<VideoEncoderProvider> providers() {
        List<VideoEncoderProvider> found = new ArrayList<>();
        ServiceLoader.load(VideoEncoderProvider.class).forEach(found::add);
        return found;
    }

    /** The choice from {@value #CHOICE_PROPERTY}, {@code auto} when unset or blank. */
    public static String defaultChoice() {
        String choice = System.getProperty(CHOICE_PROPERTY, AUTO).trim();
        return choice.isEmpty() ? AUTO : choice;
    }

    /** {@link #select(String, String, List)} among every provider, with the default choice. */
    public static VideoEncoderProvider select(String codec) throws VideoEncoderException {
        return select(codec, defaultChoice(), providers());
    }

    /**
     * Picks a provider for {@code codec}.
     *
     * @param choice {@code auto}, or the name of a provider
     * @throws VideoEncoderException NO_PROVIDER when none is for that codec or has that name, or the named
     *                               provider's own failure reason when it cannot run here
     */
    public static VideoEncoderProvider select(String codec, String choice, List<VideoEncoderProvider> providers)
            throws VideoEncoderException {
        return choose(codec, choice, providers).provider();
    }

    /**
     * A provider and why it was chosen.
     *
     * @param why for {@code auto}, which provider won and why the ones ranked above it did not
     */
    public record Choice(VideoEncoderProvider provider, String why) {
    }

    /** As {@link #select(String, String, List)}, saying why. */
    public static Choice choose(String codec, String choice, List<VideoEncoderProvider> providers)
            throws VideoEncoderException {
        List<VideoEncoderProvider> forCodec = providers.stream().filter(p -> p.codec().equals(codec)).toList();
        if (forCodec.isEmpty()) {
            throw new VideoEncoderException(VideoEncoderException.Reason.NO_PROVIDER,
                    "no encoder provider for codec '" + codec + "' is on the module path (providers found: "
                            + describe(providers) + ")" + whatToAdd(null, codec));
        }
        boolean namedForAnotherCodec = !AUTO.equals(choice)
                && forCodec.stream().noneMatch(p -> p.name().equals(choice))
                && providers.stream().anyMatch(p -> p.name().equals(choice));
        if (AUTO.equals(choice) || namedForAnotherCodec) {
            // A choice by name applies to the codec its provider encodes; other codecs are chosen automatically.
            List<String> passedOver = new ArrayList<>();
            for (VideoEncoderProvider provider : forCodec.stream()
                    .sorted(Comparator.comparingInt(VideoEncoderProvider::priority).reversed()).toList()) {
                VideoEncoderProvider.Availability availability = provider.availability();
                if (availability.available()) {
                    String why = "auto chose " + provider.name() + " for " + codec + ": " + availability.reason()
                            + (passedOver.isEmpty() ? "" : "; passed over " + String.join("; ", passedOver));
                    return new Choice(provider, why);
                }
                passedOver.add(provider.name() + " (" + availability.reason() + ")");
            }
            throw new VideoEncoderException(VideoEncoderException.Reason.NO_DEVICE,
                    "no encoder for codec '" + codec + "' can run here: " + String.join("; ", passedOver));
        }
        VideoEncoderProvider named = forCodec.stream().filter(p -> p.name().equals(choice)).findFirst()
                .orElseThrow(() -> new VideoEncoderException(VideoEncoderException.Reason.NO_PROVIDER,
                        "no encoder provider named '" + choice + "' for codec '" + codec + "' (found: "
                                + describe(forCodec) + ")" + whatToAdd(choice, codec)));
        VideoEncoderProvider.Availability availability = named.availability();
        if (!availability.available()) {
            throw new VideoEncoderException(availability.failure(),
                    "encoder '" + choice + "' cannot run here: " + availability.reason());
        }
        return new Choice(named, choice + " chosen by name: " + availability.reason());
    }

    private static String describe(List<VideoEncoderProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        return String.join(", ", providers.stream().map(p -> p.name() + " (" + p.codec() + ")").toList());
    }
}
