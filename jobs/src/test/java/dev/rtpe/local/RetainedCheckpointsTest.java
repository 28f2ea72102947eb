package dev.rtpe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetainedCheckpointsTest {
    @TempDir Path dir;

    private Path checkpoint(String run, int n, boolean completed, long modifiedMillis) throws Exception {
        Path chk = Files.createDirectories(dir.resolve(run).resolve("chk-" + n));
        if (completed) {
            Path metadata = Files.writeString(chk.resolve("_metadata"), "x");
            Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
        }
        return chk;
    }

    @Test
    void nothingToResumeFromAnEmptyOrMissingFolder() {
        assertEquals(Optional.empty(), RetainedCheckpoints.latest(dir));
        assertEquals(Optional.empty(), RetainedCheckpoints.latest(dir.resolve("missing")));
    }

    @Test
    void resumesFromTheNewestCompletedCheckpointAcrossRuns() throws Exception {
        checkpoint("run-a", 9, true, 1_000);
        Path newest = checkpoint("run-b", 3, true, 2_000);
        checkpoint("run-b", 4, false, 0); // in progress when the engine stopped
        assertEquals(Optional.of(newest), RetainedCheckpoints.latest(dir));
    }

    @Test
    void pruningKeepsOnlyTheRunResumedFrom() throws Exception {
        checkpoint("run-a", 9, true, 1_000);
        Path keep = checkpoint("run-b", 3, true, 2_000);
        RetainedCheckpoints.pruneAllBut(dir, keep);
        assertFalse(Files.exists(dir.resolve("run-a")));
        assertTrue(Files.exists(keep.resolve("_metadata")));
    }
}
