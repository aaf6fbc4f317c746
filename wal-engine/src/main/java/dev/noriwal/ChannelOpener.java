package dev.noriwal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the writable segment channels. The default is {@link FileChannel#open}; tests pass an
 * opener that wraps the channel to inject faults (failed or short writes, failed forces, a full
 * disk while preparing a segment).
 */
@FunctionalInterface
interface ChannelOpener {
  FileChannel open(Path path, OpenOption... options) throws IOException;

  static ChannelOpener system() {
    return FileChannel::open;
  }
}
