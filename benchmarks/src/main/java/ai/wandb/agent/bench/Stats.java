package ai.wandb.agent.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, min and max of a handful of runs. */
record Stats(double median, double min, double max) {
    static Stats of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1));
    }

    Stats scaled(double factor) {
        return new Stats(median * factor, min * factor, max * factor);
    }

    String format(String pattern) {
        return String.format(pattern, median) + " (" + String.format(pattern, min) + "–" + String.format(pattern, max) + ")";
    }
}
