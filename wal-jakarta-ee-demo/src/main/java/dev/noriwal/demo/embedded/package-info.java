/**
 * The embedded launcher ({@link dev.noriwal.demo.embedded.EmbeddedDemo}): Weld SE and Jersey on the
 * JDK's HTTP server, started through the standard CDI and JAX-RS bootstrap APIs. Not part of the
 * WAR.
 */
package dev.noriwal.demo.embedded;
