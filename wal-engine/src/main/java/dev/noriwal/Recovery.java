package dev.noriwal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Recovery: a read-only analysis of every segment (streamed, bounded memory) that classifies what
 * it finds, then, depending on the {@link RecoveryMode}, the repair.
 *
 * <p>Classification, torn write versus damage. It rests on what the writer guarantees, never on
 * what records contain:
 *
 * <ol>
 *   <li>A segment is trimmed and forced whole before its successor's file is created. So a segment
 *       that has a successor never held unforced bytes: any bad span in it, its tail included, is
 *       corruption.
 *   <li>Only the last segment can hold unforced bytes. After a process crash they read as written
 *       up to where the write stopped; after a power cut each unforced 4 KiB page reads as written
 *       or as its last forced contents (zeros: segments are created zero-filled), in any subset. In
 *       the last segment a bad record is therefore a torn write when nothing valid follows it, or
 *       when it has the shape of a lost write ({@link LostWrite}): its header says it runs past the
 *       last non-zero byte, or it meets a zero run covering a whole aligned page, or a zero run
 *       from its own start to a page boundary. The torn tail is everything from that record on; if
 *       it holds checksum-valid records (nested in a value, or on pages that outlived a lost one)
 *       it is copied to quarantine before the cut and reported.
 *   <li>Everything else is corruption: a bad record in the last segment that none of those shapes
 *       explain (a flipped bit, a zeroed 512-byte sector in forced bytes), a missing segment id, a
 *       checksum-valid record with unsupported flags.
 * </ol>
 *
 * <p>Limits: a bad last record of the log cannot be told from a torn one; rot in a record whose own
 * value holds a zero-filled page, or that flips a length so the record runs past the written data,
 * is read as a torn tail (quarantined and reported, not lost). Zero bytes at the end of a segment
 * are free (preallocated) space.
 *
 * <p>Repairs are ordered so that a crash in the middle of one leaves a state the next recovery
 * handles the same way (later segments are moved before the damaged one is cut; copies are forced
 * before originals change).
 *
 * <p>Not thread-safe; called while the directory lock is held (or read-only by {@link Wal#verify}).
 */
final class Recovery {
  static final String QUARANTINE = SegmentRepairs.QUARANTINE;

  private Recovery() {}

  /** A segment of a recovered log: its logical size and how many records it holds. */
  record Segment(long id, String fileName, long size, long records) {}

  record Outcome(RecoveryInfo info, List<Segment> segments) {}

  private record Analysis(
      List<SegmentName> names,
      List<SegmentScanner.Result> results,
      List<Damage> damage,
      @Nullable Damage firstCorruption,
      int firstCorruptionIndex,
      boolean firstCorruptionIsGap,
      List<Boolean> trailingIsCorrupt,
      long bytesScanned) {}

  static RecoveryInfo verify(Path dir) throws IOException {
    long t0 = System.nanoTime();
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a log directory");
    }
    Analysis a = analyze(dir, ChannelOpener.system());
    long records = 0;
    long truncated = 0;
    for (SegmentScanner.Result r : a.results()) {
      records += r.records();
    }
    for (Damage d : a.damage()) {
      if (d.kind() == Damage.Kind.TORN_TAIL) {
        truncated += d.length();
      }
    }
    Position end = endOf(a);
    return new RecoveryInfo(
        RecoveryMode.TOLERATE_TORN_TAIL,
        records,
        a.names().size(),
        a.bytesScanned(),
        recordBytes(a),
        freeBytes(a),
        truncated,
        0,
        a.damage(),
        a.damage().isEmpty() ? RecoveryInfo.Action.NONE : RecoveryInfo.Action.REPORTED_ONLY,
        end,
        false,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /** Bytes of checksum-valid records in the scanned segments. */
  private static long recordBytes(Analysis a) {
    long n = 0;
    for (SegmentScanner.Result r : a.results()) {
      for (long[] v : r.valid()) {
        n += v[1] - v[0];
      }
    }
    return n;
  }

  /** Zero-filled space after the last non-zero byte of each scanned segment. */
  private static long freeBytes(Analysis a) {
    long n = 0;
    for (SegmentScanner.Result r : a.results()) {
      n += Math.max(0, r.fileLength() - r.lastNonZeroEnd());
    }
    return n;
  }

  private static Position endOf(Analysis a) {
    if (a.names().isEmpty()) {
      return Position.START;
    }
    int last = a.names().size() - 1;
    return new Position(a.names().get(last).id(), a.results().get(last).validEnd());
  }

  static List<SegmentName> list(Path dir) throws IOException {
    List<SegmentName> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        Optional<SegmentName> n = SegmentName.parse(p.getFileName().toString());
        if (n.isPresent() && Files.isRegularFile(p)) {
          names.add(n.get());
        }
      }
    }
    names.sort(null);
    for (int i = 1; i < names.size(); i++) {
      if (names.get(i).id() == names.get(i - 1).id()) {
        throw new CorruptLogException(
            names.get(i).fileName(),
            0,
            CorruptLogException.Reason.MISSING_SEGMENT,
            "two files claim segment id "
                + names.get(i).id()
                + ": "
                + names.get(i - 1).fileName()
                + " and "
                + names.get(i).fileName());
      }
    }
    return names;
  }

  /** Removes temporary segment files left by an interrupted preparation or nori-wal copy. */
  static void removeTemporaries(Path dir) throws IOException {
    boolean any = false;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (SegmentName.isTemp(p.getFileName().toString()) && Files.isRegularFile(p)) {
          Files.delete(p);
          any = true;
        }
      }
    }
    if (any) {
      Fs.forceDirectory(dir);
    }
  }

  @SuppressWarnings("ReferenceEquality") // the very span found as the trailing one
  private static Analysis analyze(Path dir, ChannelOpener opener) throws IOException {
    List<SegmentName> names = list(dir);
    List<SegmentScanner.Result> results = new ArrayList<>();
    long scanned = 0;
    for (SegmentName n : names) {
      try (FileChannel ch = opener.open(dir.resolve(n.fileName()), StandardOpenOption.READ)) {
        boolean last = names.indexOf(n) == names.size() - 1;
        SegmentScanner.Result r = new SegmentScanner(ch, n.fileName(), ch.size(), last).scan();
        results.add(r);
        scanned += r.bytesScanned();
      } catch (IOException e) {
        throw new IOException(
            "cannot read segment " + dir.resolve(n.fileName()) + ": " + e.getMessage(), e);
      }
    }
    List<Damage> damage = new ArrayList<>();
    List<Boolean> trailingCorrupt = new ArrayList<>();
    @Nullable Damage first = null;
    int firstIndex = -1;
    boolean firstIsGap = false;
    for (int i = 0; i < names.size(); i++) {
      if (i > 0 && names.get(i).id() != names.get(i - 1).id() + 1) {
        long missing = names.get(i - 1).id() + 1;
        Damage gap =
            new Damage(
                SegmentName.toFileName(missing),
                0,
                0,
                Damage.Kind.MISSING_SEGMENT,
                "segment ids jump from " + names.get(i - 1).id() + " to " + names.get(i).id());
        damage.add(gap);
        if (first == null) {
          first = gap;
          firstIndex = i;
          firstIsGap = true;
        }
      }
      SegmentScanner.Result r = results.get(i);
      SegmentScanner.Span trailing = r.trailingDamage();
      boolean trailingIsCorrupt = false;
      for (SegmentScanner.Span s : r.damage()) {
        Damage.Kind kind = s.kind();
        // A segment with a successor was trimmed and forced whole before the successor's file
        // was created: nothing in it was ever unforced, so its bad tail is damage, not a torn
        // write.
        if (s == trailing && kind == Damage.Kind.TORN_TAIL && i < names.size() - 1) {
          kind = Damage.Kind.CORRUPT;
          trailingIsCorrupt = true;
        }
        Damage d =
            new Damage(
                names.get(i).fileName(),
                s.start(),
                s.length(),
                kind,
                kind == Damage.Kind.CORRUPT && s.kind() == Damage.Kind.TORN_TAIL
                    ? s.detail()
                        + "; a later segment exists, so this one was forced whole before it (damage,"
                        + " not a torn write)"
                    : s.detail());
        damage.add(d);
        if (first == null && d.isCorruption()) {
          first = d;
          firstIndex = i;
        }
      }
      trailingCorrupt.add(trailingIsCorrupt);
    }
    return new Analysis(
        names, results, damage, first, firstIndex, firstIsGap, trailingCorrupt, scanned);
  }

  static Outcome recover(
      Path dir, RecoveryMode mode, Consumer<WalEvent> events, ChannelOpener opener)
      throws IOException {
    long t0 = System.nanoTime();
    Analysis a = analyze(dir, opener);
    for (Damage d : a.damage()) {
      events.accept(new WalEvent.CorruptionDetected(dir, d));
    }
    if (a.firstCorruption() != null && mode == RecoveryMode.TOLERATE_TORN_TAIL) {
      throw toException(a, a.firstCorruption());
    }
    removeTemporaries(dir);
    long truncated = 0;
    long quarantined = 0;
    long records = 0;
    RecoveryInfo.Action action = RecoveryInfo.Action.NONE;
    List<Segment> segments = new ArrayList<>();
    List<SegmentName> names = a.names();

    if (a.firstCorruption() != null && mode == RecoveryMode.POINT_IN_TIME) {
      int k = a.firstCorruptionIndex();
      Path q = SegmentRepairs.quarantineDir(dir);
      // Later segments first, newest first, so a crash here leaves the damage in place for the
      // next recovery to find and finish the cut.
      int firstMoved = a.firstCorruptionIsGap() ? k : k + 1;
      for (int i = names.size() - 1; i >= firstMoved; i--) {
        Path src = dir.resolve(names.get(i).fileName());
        quarantined += Files.size(src);
        Files.move(
            src, SegmentRepairs.unique(q, names.get(i).fileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      Fs.forceDirectory(q);
      Fs.forceDirectory(dir);
      int keep = a.firstCorruptionIsGap() ? k : k + 1;
      for (int i = 0; i < keep; i++) {
        SegmentName n = names.get(i);
        SegmentScanner.Result r = a.results().get(i);
        if (i == k && !a.firstCorruptionIsGap()) {
          long cut = a.firstCorruption().offset();
          quarantined += SegmentRepairs.cutInto(dir, n, cut, q);
          records += recordsBefore(r, cut);
          segments.add(new Segment(n.id(), n.fileName(), cut, recordsBefore(r, cut)));
        } else {
          records += r.records();
          segments.add(
              new Segment(
                  n.id(),
                  n.fileName(),
                  SegmentRepairs.trimZeroTail(dir, n, r, i == keep - 1),
                  r.records()));
        }
      }
      action = RecoveryInfo.Action.CUT_AND_QUARANTINED;
    } else if (a.firstCorruption() != null && mode == RecoveryMode.SALVAGE) {
      Path q = SegmentRepairs.quarantineDir(dir);
      for (int i = 0; i < names.size(); i++) {
        SegmentScanner.Result r = a.results().get(i);
        SegmentName n = names.get(i);
        records += r.records();
        boolean lastSegment = i == names.size() - 1;
        boolean hasCorruptSpan =
            r.damage().stream().anyMatch(s -> s.kind() != Damage.Kind.TORN_TAIL)
                || a.trailingIsCorrupt().get(i);
        if (hasCorruptSpan) {
          quarantined += SegmentRepairs.salvage(dir, n, r, q);
          long size = 0;
          for (long[] v : r.valid()) {
            size += v[1] - v[0];
          }
          segments.add(new Segment(n.id(), n.fileName(), size, r.records()));
        } else {
          truncated += tornTail(r);
          if (r.tornTailHoldsRecords()) {
            quarantined += SegmentRepairs.cutInto(dir, n, r.validEnd(), q);
          }
          segments.add(
              new Segment(
                  n.id(),
                  n.fileName(),
                  SegmentRepairs.trimZeroTail(dir, n, r, lastSegment),
                  r.records()));
        }
      }
      Fs.forceDirectory(q);
      segments = closeGaps(dir, segments);
      action = RecoveryInfo.Action.SALVAGED;
    } else {
      for (int i = 0; i < names.size(); i++) {
        SegmentScanner.Result r = a.results().get(i);
        records += r.records();
        long torn = tornTail(r);
        truncated += torn;
        if (torn > 0) {
          action = RecoveryInfo.Action.TRUNCATED_TORN_TAIL;
        }
        if (r.tornTailHoldsRecords()) {
          // Checksum-valid records inside a lost write are never silently dropped.
          quarantined +=
              SegmentRepairs.cutInto(
                  dir, names.get(i), r.validEnd(), SegmentRepairs.quarantineDir(dir));
        }
        boolean lastSegment = i == names.size() - 1;
        segments.add(
            new Segment(
                names.get(i).id(),
                names.get(i).fileName(),
                SegmentRepairs.trimZeroTail(dir, names.get(i), r, lastSegment),
                r.records()));
      }
    }
    Position end =
        segments.isEmpty()
            ? Position.START
            : new Position(
                segments.get(segments.size() - 1).id(), segments.get(segments.size() - 1).size());
    RecoveryInfo info =
        new RecoveryInfo(
            mode,
            records,
            names.size(),
            a.bytesScanned(),
            recordBytes(a),
            freeBytes(a),
            truncated,
            quarantined,
            a.damage(),
            action,
            end,
            false,
            Duration.ofNanos(System.nanoTime() - t0));
    return new Outcome(info, segments);
  }

  private static long tornTail(SegmentScanner.Result r) {
    SegmentScanner.Span t = r.trailingDamage();
    return t != null && t.kind() == Damage.Kind.TORN_TAIL ? t.length() : 0;
  }

  private static long recordsBefore(SegmentScanner.Result r, long cut) {
    long n = 0;
    for (long[] v : r.valid()) {
      if (v[1] <= cut) {
        n += v[2];
      }
    }
    return n;
  }

  /** Renumbers segments after a gap so ids are contiguous again (salvage only). */
  private static List<Segment> closeGaps(Path dir, List<Segment> segments) throws IOException {
    List<Segment> out = new ArrayList<>();
    boolean renamed = false;
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      long want = i == 0 ? s.id() : out.get(i - 1).id() + 1;
      if (s.id() != want) {
        String name = SegmentName.toFileName(want);
        Files.move(dir.resolve(s.fileName()), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        out.add(new Segment(want, name, s.size(), s.records()));
        renamed = true;
      } else {
        out.add(s);
      }
    }
    if (renamed) {
      Fs.forceDirectory(dir);
    }
    return out;
  }

  private static CorruptLogException toException(Analysis a, Damage d) {
    CorruptLogException.Reason reason;
    long exp = -1;
    long act = -1;
    switch (d.kind()) {
      case MISSING_SEGMENT -> reason = CorruptLogException.Reason.MISSING_SEGMENT;
      case UNSUPPORTED_FORMAT -> reason = CorruptLogException.Reason.UNSUPPORTED_FORMAT;
      default -> {
        SegmentScanner.Span span = null;
        for (int i = 0; i < a.names().size(); i++) {
          if (a.names().get(i).fileName().equals(d.segment())) {
            for (SegmentScanner.Span s : a.results().get(i).damage()) {
              if (s.start() == d.offset()) {
                span = s;
              }
            }
          }
        }
        exp = span == null ? -1 : span.expectedCrc();
        act = span == null ? -1 : span.actualCrc();
        reason =
            exp >= 0
                ? CorruptLogException.Reason.CHECKSUM_MISMATCH
                : CorruptLogException.Reason.MALFORMED_RECORD;
      }
    }
    return new CorruptLogException(
        d.segment(),
        d.offset(),
        reason,
        exp,
        act,
        d.detail()
            + " (open with RecoveryMode.POINT_IN_TIME to cut the log here, or SALVAGE to keep every"
            + " valid record; damaged bytes are moved to quarantine/)",
        null);
  }
}
