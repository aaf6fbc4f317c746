/**
 * A ledger service on nori-wal, as a Jakarta EE application: accounts, deposits, withdrawals and
 * transfers arrive over JAX-RS ({@link dev.noriwal.demo.AccountsResource}, {@link
 * dev.noriwal.demo.TransfersResource}), run as {@code @Journaled} commands ({@link
 * dev.noriwal.demo.LedgerCommands}) and are kept as one JSON event per record in the
 * {@code @Durable("ledger")} log ({@link dev.noriwal.demo.LedgerStore}). Balances are derived only
 * from that log: it is replayed at startup, and {@link dev.noriwal.demo.StartupRecovery} reconciles
 * the commands a crash left unfinished against it.
 *
 * <p>The same classes run embedded ({@code dev.noriwal.demo.embedded}) and as a WAR.
 */
package dev.noriwal.demo;
