package eu.ehds.rights.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

/** What an operator reads on the progress bar of an import or a filter run. */
class FileProgressTest {

    private static String drawnAt(long size, long read) {
        AtomicReference<String> last = new AtomicReference<>();
        try (ProgressBar bar = FileProgress.bar("Importing", size, new DelegatingProgressBarConsumer(last::set))) {
            bar.stepTo(read);
        }
        return last.get();
    }

    @Test
    void a_small_file_shows_its_progress_in_kilobytes_rather_than_zero_megabytes() {
        String drawn = drawnAt(8_000_000, 560_000);

        assertThat(drawn).contains("7%").contains("560/8000 kB").doesNotContain("MB");
    }

    @Test
    void a_file_of_a_few_rows_shows_its_progress_in_bytes() {
        String drawn = drawnAt(300, 150);

        assertThat(drawn).contains("50%").contains("150/300 B");
    }

    @Test
    void a_large_file_shows_its_progress_in_megabytes() {
        String drawn = drawnAt(168_800_049, 84_500_000);

        assertThat(drawn).contains("50%").contains("84/168 MB");
    }
}
