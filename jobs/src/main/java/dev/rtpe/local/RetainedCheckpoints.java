package dev.rtpe.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the checkpoints a previous local run left behind. Flink writes them as
 * {@code <checkpoint-dir>/<job-id>/chk-<n>/_metadata}; a checkpoint without {@code _metadata} never completed.
 */
public final class RetainedCheckpoints {
    private RetainedCheckpoints() {}

    /**
     * For scripts/run-local.sh: prints the newest completed checkpoint under the folder given, or
     * nothing, and deletes the checkpoints of earlier runs, so the folder does not grow run by run.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: RetainedCheckpoints <checkpoint-dir of one job>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        latest(dir).ifPresent(keep -> {
            pruneAllBut(dir, keep);
            System.out.println(keep.toUri());
        });
    }

    /** The newest completed checkpoint under {@code dir}, if any. */
    public static Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata")
                            && p.getParent().getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparing(RetainedCheckpoints::modified))
                    .map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the checkpoints of earlier runs, keeping the run that {@code keep} belongs to. */
    static void pruneAllBut(Path dir, Path keep) {
        Path keepRun = keep.getParent();
        try (Stream<Path> runs = Files.list(dir)) {
            runs.filter(run -> !run.equals(keepRun)).forEach(RetainedCheckpoints::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
