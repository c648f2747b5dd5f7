package org.streamingmlp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time from {@code /proc}, in clock ticks: a process's user + system time ({@code /proc/<pid>/stat} fields 14
 * and 15, all its threads, as {@code top} counts it) and the whole machine's busy time ({@code /proc/stat}'s first
 * line minus idle and iowait). Cheap enough to read at every 20 ms poll of the end-to-end runs, so the CPU of a timed
 * window is read at the same instants as its examples. Linux only; -1 where a file cannot be read.
 */
final class CpuTicks {

    /** {@code getconf CLK_TCK}; 100 (the usual value) if it cannot be asked. */
    static final long PER_SECOND = clockTicksPerSecond();

    private CpuTicks() {
    }

    /** utime + stime of the process, -1 if it is gone or pid is negative. */
    static long process(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // fields 14 and 15, counted from field 3
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Busy ticks of all cores together since boot (user, nice, system, irq, softirq, steal). */
    static long machineBusy() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);   // "cpu  user nice system idle iowait ..."
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Seconds between two tick readings, null if either is missing. */
    static Double seconds(long from, long to) {
        return from < 0 || to < 0 ? null : (to - from) / (double) PER_SECOND;
    }

    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(text);
            }
        } catch (IOException | RuntimeException e) {
            // below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
