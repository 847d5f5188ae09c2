package io.rendercast.demo;

/**
 * What a viewer can change in the scene, through calls: the colour of the shapes and the camera's offset.
 *
 * @param color   the shapes' colour as {@code 0xRRGGBB}
 * @param cameraX horizontal camera offset in pixels
 * @param cameraY vertical camera offset in pixels
 */
public record SceneState(int color, int cameraX, int cameraY) {

    public static final SceneState INITIAL = new SceneState(0xFF8C1A, 0, 0);

    public SceneState withColor(int rgb) {
        return new SceneState(rgb & 0xFFFFFF, cameraX, cameraY);
    }

    public SceneState movedBy(int dx, int dy) {
        return new SceneState(color, cameraX + dx, cameraY + dy);
    }
}
