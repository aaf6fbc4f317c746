/**
 * nori-wal for the JVM: a durable, segmented write-ahead log whose files are byte-compatible with
 * the Rust library nori-wal.
 *
 * <p>Start with {@link dev.noriwal.Wal#open(dev.noriwal.WalConfig)}; {@link dev.noriwal.Wal} states
 * the durability contract. Everything public lives in this one package; the rest is package-private
 * on purpose. No required runtime dependency: LZ4 and Zstd are optional.
 */
@NullMarked
package dev.noriwal;

import org.jspecify.annotations.NullMarked;
