package io.rendercast.demo;

import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderProvider;
import io.rendercast.video.VideoEncoders;
import java.util.Comparator;
import java.util.List;

/**
 * Lists every video encoder provider on the module path, whether it can run here and why, and what the choice
 * ({@code rendercast.encoder}, {@code auto} by default) picks for each codec. Exits 1 when the choice picks
 * nothing for a codec that has providers.
 */
public final class EncodersMain {

    private EncodersMain() {
    }

    public static void main(String[] args) {
        List<VideoEncoderProvider> providers = VideoEncoders.providers().stream()
                .sorted(Comparator.comparing(VideoEncoderProvider::codec)
                        .thenComparing(Comparator.comparingInt(VideoEncoderProvider::priority).reversed()))
                .toList();
        System.out.println("encoder providers on the module path:");
        for (VideoEncoderProvider provider : providers) {
            VideoEncoderProvider.Availability availability = provider.availability();
            System.out.printf("  %-13s %-13s priority %2d  %s: %s%n", provider.name(), provider.codec(),
                    provider.priority(), availability.available() ? "available" : "unavailable", availability.reason());
        }
        String choice = VideoEncoders.defaultChoice();
        boolean failed = false;
        for (String codec : providers.stream().map(VideoEncoderProvider::codec).distinct().toList()) {
            try {
                System.out.println(codec + ": " + VideoEncoders.choose(codec, choice, providers).why());
            } catch (VideoEncoderException e) {
                System.out.println(codec + ": '" + choice + "' picks nothing: " + e.getMessage());
                failed = true;
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
