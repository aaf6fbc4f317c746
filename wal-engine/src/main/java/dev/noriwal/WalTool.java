package dev.noriwal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The engine jar's command line: {@code verify DIR} and {@code dump DIR [--from SEGMENT:OFFSET]
 * [--json]}. Both only read; neither takes the directory lock, so run them on a log that is not
 * being written (or accept that the tail may be in flux).
 *
 * <p>Exit codes: 0 clean, 1 only a torn tail, 2 damage (or a dump that hit damage), 64 usage.
 */
public final class WalTool {
  private WalTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2 || !(args[0].equals("verify") || args[0].equals("dump"))) {
      err.println("usage: java -jar wal-engine.jar verify DIR");
      err.println("       java -jar wal-engine.jar dump DIR [--from SEGMENT:OFFSET] [--json]");
      return 64;
    }
    Path dir = Path.of(args[1]);
    try {
      if (!Files.isDirectory(dir)) {
        err.println("not a directory: " + dir);
        return 64;
      }
      if (args[0].equals("verify")) {
        if (args.length != 2) {
          err.println("verify takes one argument, the log directory");
          return 64;
        }
        RecoveryInfo info = Wal.verify(dir);
        out.print(info.report());
        if (!info.isClean()) {
          return 2;
        }
        return info.damage().isEmpty() ? 0 : 1;
      }
      Position from = Position.START;
      boolean json = false;
      for (int i = 2; i < args.length; i++) {
        switch (args[i]) {
          case "--json" -> json = true;
          case "--from" -> {
            if (i + 1 >= args.length) {
              err.println("--from needs SEGMENT:OFFSET");
              return 64;
            }
            from = Position.parse(args[++i]);
          }
          default -> {
            err.println("unknown option: " + args[i]);
            return 64;
          }
        }
      }
      return dump(dir, from, json, out, err);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 64;
    } catch (CorruptLogException e) {
      err.println("damage: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("error: " + e);
      return 2;
    }
  }

  private static int dump(Path dir, Position from, boolean json, PrintStream out, PrintStream err)
      throws IOException {
    RecoveryInfo info = Wal.verify(dir);
    if (Recovery.list(dir).isEmpty()) {
      return 0;
    }
    try (WalReader r = LogAtRest.reader(dir, info.endPosition(), from)) {
      for (WalEntry e; (e = r.next()) != null; ) {
        out.println(json ? toJson(e) : toText(e));
      }
    }
    if (!info.isClean()) {
      err.println("damage: " + info.firstCorruption().orElseThrow());
      return 2;
    }
    return 0;
  }

  static String toText(WalEntry e) {
    WalRecord r = e.record();
    StringBuilder sb = new StringBuilder();
    sb.append(e.position().segmentId()).append(':').append(e.position().offset());
    sb.append(String.format(" flags=0x%02x", RecordFormat.flags(r, r.compression())));
    if (r.isTombstone()) {
      sb.append(" delete");
    }
    if (r.ttlMillis() >= 0) {
      sb.append(" ttl=").append(r.ttlMillis()).append("ms");
    }
    if (r.compression() != Compression.NONE) {
      sb.append(' ').append(r.compression());
    }
    sb.append(" key=").append(quote(r.key()));
    sb.append(" value=").append(quote(r.value()));
    return sb.toString();
  }

  static String toJson(WalEntry e) {
    WalRecord r = e.record();
    Base64.Encoder b64 = Base64.getEncoder();
    return "{\"segment\":"
        + e.position().segmentId()
        + ",\"offset\":"
        + e.position().offset()
        + ",\"flags\":"
        + RecordFormat.flags(r, r.compression())
        + ",\"tombstone\":"
        + r.isTombstone()
        + ",\"ttlMs\":"
        + (r.ttlMillis() >= 0 ? Long.toString(r.ttlMillis()) : "null")
        + ",\"compression\":\""
        + r.compression()
        + "\",\"key\":\""
        + b64.encodeToString(r.key())
        + "\",\"value\":\""
        + b64.encodeToString(r.value())
        + "\"}";
  }

  /** Printable ASCII as is, everything else as \xNN, in double quotes. */
  private static String quote(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length + 2).append('"');
    for (byte x : b) {
      int c = x & 0xFF;
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.append('"').toString();
  }
}
