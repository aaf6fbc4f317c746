package dev.noriwal.journal;

import dev.noriwal.CorruptLogException;
import dev.noriwal.Position;
import dev.noriwal.Wal;
import dev.noriwal.WalEntry;
import dev.noriwal.WalReader;
import dev.noriwal.WalTool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal beside the engine's tools: {@code journal DIR [--json] [--unfinished]} prints a
 * journal's entries, one line each, as text or as one JSON object per line (see {@link EntryText});
 * {@code verify} and {@code dump} are the engine's ({@link WalTool}). Reads at rest: takes no lock
 * and changes nothing, so run it on a log that is not being written.
 *
 * <pre>
 * java -cp wal-engine.jar:wal-journal.jar dev.noriwal.journal.JournalTool \
 *      journal DIR [--json] [--unfinished]
 * </pre>
 *
 * <p>Exit codes: 0 read to the end, 2 the log is damaged (file and offset on stderr), 64 usage.
 */
public final class JournalTool {
  private JournalTool() {}

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("verify") || args[0].equals("dump"))) {
      WalTool.main(args);
      return;
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2 || !args[0].equals("journal")) {
      err.println("usage: JournalTool journal DIR [--json] [--unfinished]");
      err.println("       JournalTool verify DIR | dump DIR [--from SEGMENT:OFFSET] [--json]");
      return 64;
    }
    Path dir = Path.of(args[1]);
    boolean json = false;
    boolean unfinished = false;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--json" -> json = true;
        case "--unfinished" -> unfinished = true;
        default -> {
          err.println("unknown option: " + args[i]);
          return 64;
        }
      }
    }
    if (!Files.isDirectory(dir)) {
      err.println("not a directory: " + dir);
      return 64;
    }
    List<Line> lines = new ArrayList<>();
    int exit = 0;
    try (WalReader r = Wal.readAtRest(dir, Position.START)) {
      for (WalEntry e; (e = r.next()) != null; ) {
        if (JournalFormat.isJournalRecord(e.record())) {
          lines.add(new Line(e.position(), JournalFormat.fromEntry(e)));
        }
      }
    } catch (CorruptLogException e) {
      err.println("damaged log: " + e.getMessage()); // names file and offset; what came before
      exit = 2; //                                        it is still printed
    } catch (IOException | RuntimeException e) {
      err.println("cannot read " + dir + ": " + e.getMessage());
      return 2;
    }
    Map<String, String> codecs =
        new HashMap<>(); // a completion's bytes are its invocation's codec's
    for (Line l : lines) {
      if (l.entry() instanceof Invocation i) {
        codecs.put(i.invocationId(), i.codec());
      }
    }
    if (unfinished) {
      List<JournalEntry> all = new ArrayList<>();
      lines.forEach(l -> all.add(l.entry()));
      List<Invocation> open = Journal.unfinished(all);
      lines.removeIf(l -> !open.contains(l.entry()));
    }
    for (Line l : lines) {
      String codec = codecs.getOrDefault(l.entry().invocationId(), "");
      out.println(json ? EntryText.json(l, codec) : l.position() + " " + EntryText.text(l));
    }
    return exit;
  }

  /** One journal record: where it is and what it says. */
  record Line(Position position, JournalEntry entry) {}
}
