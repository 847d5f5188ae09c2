package io.rendercast.canvas.gpu;

/**
 * Where the scene is looked at from: angles around the model and a distance from it.
 *
 * @param yaw      radians around the vertical axis
 * @param pitch    radians above the horizon, kept within (-1.5, 1.5)
 * @param distance from the model's centre
 */
public record Camera(double yaw, double pitch, double distance) {

    public static final Camera DEFAULT = new Camera(0.4, 0.35, 4.0);

    public Camera {
        pitch = Math.max(-1.5, Math.min(1.5, pitch));
    }

    /** The camera turned by a drag of (dx, dy) pixels, as the demo's moveCamera call moves it. */
    public Camera movedBy(int dx, int dy) {
        return new Camera(yaw + dx * 0.01, pitch + dy * 0.01, distance);
    }
}
