/**
 * The demo application: {@link io.rendercast.demo.DemoMain} parses options and starts a server with a
 * {@link io.rendercast.demo.DemoApplication}, which streams a {@link io.rendercast.demo.DemoScene}.
 */
package io.rendercast.demo;
