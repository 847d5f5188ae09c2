/**
 * What encoder implementations share: the checks that make them fail with the same reasons and messages. Not
 * part of the application API: exported only to Rendercast's own encoder modules.
 */
package io.rendercast.video.support;
