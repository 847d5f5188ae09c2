package io.rendercast.rtmp.server.broadcast;

/**
 * A broadcast's renditions, the shared encode at level 0 and each lower one below it, as its fan-outs see them:
 * where a player that moves goes. Called on the frame thread, with the caller's fan-out locked and no other.
 */
interface RenditionLadder {

    /** Whether players can play the rendition at {@code level} now. */
    boolean plays(int level);

    /** Hands {@code player}, taken off its fan-out, to the rendition at {@code level}. */
    void move(BroadcastPlayer player, int level);
}
