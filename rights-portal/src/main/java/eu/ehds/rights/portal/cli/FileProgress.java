package eu.ehds.rights.portal.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar of a command reading a file, counted in the file's bytes. */
final class FileProgress {

    /** The bar shows whole units: a file is counted in B under 10 kB and in kB under 10 MB (not "0/8 MB" at 7 %). */
    record Unit(String name, long bytes) {
        static Unit forFileOf(long size) {
            return size < 10_000 ? new Unit(" B", 1) : size < 10_000_000 ? new Unit(" kB", 1_000)
                    : new Unit(" MB", 1_000_000);
        }
    }

    private FileProgress() {
    }

    static ProgressBar bar(String task, long size) {
        return builder(task, size).build();
    }

    /** The same bar drawn by {@code consumer} (the console's otherwise). */
    static ProgressBar bar(String task, long size, ProgressBarConsumer consumer) {
        return builder(task, size).setConsumer(consumer).build();
    }

    private static ProgressBarBuilder builder(String task, long size) {
        Unit unit = Unit.forFileOf(size);
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(size).setUnit(unit.name(), unit.bytes())
                .setStyle(ProgressBarStyle.ASCII);
    }
}
