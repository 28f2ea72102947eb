package dev.rtpe.simulator;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws ranks 0..n-1 with P(rank k) proportional to 1/(k+1)^s, by binary search on the cumulative weights. */
final class ZipfSampler {
    private final double[] cumulative;

    ZipfSampler(int n, double exponent) {
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
    }

    int size() {
        return cumulative.length;
    }

    int sample(SplittableRandom random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, u);
        return i >= 0 ? i : Math.min(-i - 1, cumulative.length - 1);
    }
}
