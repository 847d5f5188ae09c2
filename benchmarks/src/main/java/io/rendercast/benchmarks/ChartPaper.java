package io.rendercast.benchmarks;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** A blank chart, headless: white, antialiased, a bold title and a line under it (the command that repeats it). */
final class ChartPaper {

    private ChartPaper() {
    }

    /** Draws the title and subtitle on {@code image} and returns its graphics, black plain 12 pt text set. */
    static Graphics2D start(BufferedImage image, String title, String subtitle) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 15, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(subtitle, 15, 45);
        return g;
    }

    /** A blank image for a chart; Java2D without a display. */
    static BufferedImage image(int width, int height) {
        System.setProperty("java.awt.headless", "true");
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }
}
