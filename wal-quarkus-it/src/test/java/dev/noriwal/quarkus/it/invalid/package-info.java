/**
 * Beans with mistakes, for {@link dev.noriwal.quarkus.it.DeploymentValidationTest} only: the
 * {@code @QuarkusTest} application excludes this package ({@code quarkus.arc.exclude-types}).
 */
package dev.noriwal.quarkus.it.invalid;
