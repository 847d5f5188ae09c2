package io.rendercast.video;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds video encoder providers and picks one for a codec.
 *
 * <p>The choice is {@code auto} (the available provider of highest priority) or a provider's name. The default
 * choice comes from the system property {@value #CHOICE_PROPERTY}.
 */
public final class VideoEncoders {

    /** The system property that holds the default encoder choice. */
    public static final String CHOICE_PROPERTY = "rendercast.encoder";
    /** Picks the best available provider. */
    public static final String AUTO = "auto";

    private VideoEncoders() {
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
        List<VideoEncoderProvider> forCodec = providers.stream().filter(p -> p.codec().equals(codec)).toList();
        if (forCodec.isEmpty()) {
            throw new VideoEncoderException(VideoEncoderException.Reason.NO_PROVIDER,
                    "no encoder provider for codec '" + codec + "' is on the module path (providers found: "
                            + describe(providers) + ")");
        }
        if (AUTO.equals(choice)) {
            List<String> reasons = new ArrayList<>();
            VideoEncoderProvider best = null;
            for (VideoEncoderProvider provider : forCodec.stream()
                    .sorted(Comparator.comparingInt(VideoEncoderProvider::priority).reversed()).toList()) {
                VideoEncoderProvider.Availability availability = provider.availability();
                if (availability.available()) {
                    best = provider;
                    break;
                }
                reasons.add(provider.name() + ": " + availability.reason());
            }
            if (best == null) {
                throw new VideoEncoderException(VideoEncoderException.Reason.NO_DEVICE,
                        "no encoder for codec '" + codec + "' can run here: " + String.join("; ", reasons));
            }
            return best;
        }
        VideoEncoderProvider named = forCodec.stream().filter(p -> p.name().equals(choice)).findFirst()
                .orElseThrow(() -> new VideoEncoderException(VideoEncoderException.Reason.NO_PROVIDER,
                        "no encoder provider named '" + choice + "' for codec '" + codec + "' (found: "
                                + describe(forCodec) + ")"));
        VideoEncoderProvider.Availability availability = named.availability();
        if (!availability.available()) {
            throw new VideoEncoderException(availability.failure(),
                    "encoder '" + choice + "' cannot run here: " + availability.reason());
        }
        return named;
    }

    private static String describe(List<VideoEncoderProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        return String.join(", ", providers.stream().map(p -> p.name() + " (" + p.codec() + ")").toList());
    }
}
