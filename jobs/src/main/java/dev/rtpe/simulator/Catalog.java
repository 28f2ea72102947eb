package dev.rtpe.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A store's catalog: categories with typical prices, and products whose popularity follows a Zipf
 * law within their category (a few best sellers, a long tail).
 *
 * <p>Two shapes. The generated one (the default) has leaf categories in a {@code top.mid.leaf}
 * hierarchy, of uneven sizes, whose popularity is itself a Zipf law, plus a share of products
 * without a category, like a real marketplace. The small one is the 12 hand-made categories with
 * equally many products each, chosen uniformly: the simulator's catalog before the generated one
 * existed, draw for draw, so a seed gives the same records as it did then.
 *
 * <p>Categories are addressed by index; with uncategorized products there is one more index, the
 * last, for them ({@link #UNCATEGORIZED}'s bucket). Every pick is O(log n): no per-event cost grows
 * with the catalog.
 */
final class Catalog {
    /** A category path and the median price of its products; null for the uncategorized bucket. */
    record Category(String path, String[] brands, double medianPrice) {}

    /** {@code category} null: the product has no category. */
    record Product(String id, Category category, String brand, double price) {
        String categoryPath() {
            return category == null ? null : category.path();
        }
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("electronics.smartphone", new String[] {"samsung", "apple", "xiaomi", "oppo"}, 320),
            new Category("electronics.audio.headphone", new String[] {"sony", "apple", "jbl", "sennheiser"}, 90),
            new Category("electronics.video.tv", new String[] {"lg", "samsung", "tcl", "philips"}, 480),
            new Category("computers.notebook", new String[] {"lenovo", "hp", "asus", "acer"}, 650),
            new Category("appliances.kitchen.refrigerator", new String[] {"bosch", "lg", "samsung", "beko"}, 560),
            new Category("appliances.environment.vacuum", new String[] {"dyson", "xiaomi", "philips", "bosch"}, 180),
            new Category("apparel.shoes", new String[] {"nike", "adidas", "puma", "asics"}, 75),
            new Category("apparel.jacket", new String[] {"columbia", "levis", "zara", "uniqlo"}, 95),
            new Category("furniture.living_room.sofa", new String[] {"ikea", "divan", "brw", "hoff"}, 540),
            new Category("kids.toys", new String[] {"lego", "mattel", "hasbro", "hape"}, 35),
            new Category("sport.bicycle", new String[] {"trek", "giant", "merida", "stels"}, 420),
            new Category("beauty.skincare", new String[] {"nivea", "loreal", "shiseido", "clinique"}, 25));

    /**
     * Top levels of the generated hierarchy: the small catalog's, then more. Few on purpose: the
     * metrics job has a row per top-level category, as real stores have a few departments.
     */
    static final List<String> TOP_LEVELS = List.of("electronics", "computers", "appliances", "apparel", "furniture", "kids",
            "sport", "beauty", "home", "garden", "food", "grocery", "health", "household", "pets", "books", "auto", "office",
            "jewelry", "music");

    /** The bucket of products without a category (a label for lists, never a category path). */
    static final Category UNCATEGORIZED = new Category(null, new String[] {"generic", "nobrand", "basics", "value"}, 40);

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ra", "ten", "su", "vo", "ne", "pa", "lin", "dor", "e",
        "ba", "zu", "ri", "tel", "mo", "ga", "fi", "no", "sa", "ver", "to", "li"};
    private static final double MIN_MEDIAN_PRICE = 5;
    private static final double MAX_MEDIAN_PRICE = 1500;
    /** Spread of category sizes (log-normal sigma): some leaves hold many products, most few. */
    private static final double CATEGORY_SIZE_SIGMA = 1.0;

    /** Products per bucket, best sellers first. */
    private final List<List<Product>> byCategory = new ArrayList<>();
    /** Product popularity within each bucket; shared between buckets of one size. */
    private final List<ZipfSampler> withinCategory = new ArrayList<>();
    /** Category popularity, by index; null in the small catalog, whose categories are equally popular. */
    private final ZipfSampler categoryPopularity;
    private final int categorized;
    private final double uncategorizedShare;
    private final int size;

    private Catalog(List<List<Product>> byCategory, List<ZipfSampler> withinCategory, ZipfSampler categoryPopularity,
                    int categorized, double uncategorizedShare) {
        this.byCategory.addAll(byCategory);
        this.withinCategory.addAll(withinCategory);
        this.categoryPopularity = categoryPopularity;
        this.categorized = categorized;
        this.uncategorizedShare = uncategorizedShare;
        this.size = byCategory.stream().mapToInt(List::size).sum();
    }

    /** The catalog the model describes; deterministic for a seed. */
    static Catalog of(SimulationModel model, SplittableRandom random) {
        return model.smallCatalog
                ? small(Math.max(1, model.products / CATEGORIES.size()), model.productZipfExponent, random)
                : generated(model.categories, model.products, model.categoryZipfExponent, model.uncategorizedShare,
                        model.productZipfExponent, random);
    }

    /** The 12 hand-made categories with {@code productsPerCategory} products each. */
    static Catalog small(int productsPerCategory, double zipfExponent, SplittableRandom random) {
        ZipfSampler within = new ZipfSampler(productsPerCategory, zipfExponent);
        List<List<Product>> byCategory = new ArrayList<>();
        List<ZipfSampler> samplers = new ArrayList<>();
        int next = 1;
        for (Category c : CATEGORIES) {
            List<Product> products = new ArrayList<>();
            for (int i = 0; i < productsPerCategory; i++) {
                String brand = c.brands()[random.nextInt(c.brands().length)];
                products.add(new Product("p-" + next++, c, brand, price(c.medianPrice(), random)));
            }
            byCategory.add(products);
            samplers.add(within);
        }
        return new Catalog(byCategory, samplers, null, CATEGORIES.size(), 0);
    }

    /**
     * {@code leaves} categories in a {@code top.mid.leaf} hierarchy and {@code products} products,
     * of which {@code uncategorizedShare} have no category. Category sizes are log-normal, at least
     * one product each; the biggest categories are the most popular.
     */
    static Catalog generated(int leaves, int products, double categoryZipf, double uncategorizedShare, double productZipf,
                             SplittableRandom random) {
        int uncategorized = uncategorizedCount(products, uncategorizedShare);
        int categorizedProducts = products - uncategorized;
        if (leaves < 1 || categorizedProducts < leaves) {
            throw new IllegalArgumentException("need at least one categorized product per category: " + leaves + " categories, "
                    + categorizedProducts + " categorized products");
        }
        List<Category> categories = hierarchy(leaves, random);
        shuffle(categories, random); // popularity does not follow the tree's order
        int[] sizes = categorySizes(leaves, categorizedProducts, random);
        Map<Integer, ZipfSampler> samplersBySize = new HashMap<>();
        List<List<Product>> byCategory = new ArrayList<>();
        List<ZipfSampler> samplers = new ArrayList<>();
        int next = 1;
        for (int c = 0; c < leaves; c++) {
            next = addProducts(categories.get(c), sizes[c], next, random, byCategory);
            samplers.add(samplersBySize.computeIfAbsent(sizes[c], n -> new ZipfSampler(n, productZipf)));
        }
        if (uncategorized > 0) {
            addProducts(UNCATEGORIZED, uncategorized, next, random, byCategory);
            samplers.add(samplersBySize.computeIfAbsent(uncategorized, n -> new ZipfSampler(n, productZipf)));
        }
        return new Catalog(byCategory, samplers, new ZipfSampler(leaves, categoryZipf), leaves,
                uncategorized > 0 ? uncategorizedShare : 0);
    }

    static int uncategorizedCount(int products, double share) {
        return (int) Math.round(products * share);
    }

    private static int addProducts(Category c, int count, int next, SplittableRandom random, List<List<Product>> byCategory) {
        List<Product> products = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String brand = c.brands()[random.nextInt(c.brands().length)];
            products.add(new Product("p-" + next++, c.path() == null ? null : c, brand, price(c.medianPrice(), random)));
        }
        byCategory.add(products);
        return next;
    }

    /**
     * Leaves spread over the top levels in turn; under each top level about sqrt(n) mid levels of
     * about sqrt(n) leaves, so the tree is neither flat nor deep. Names are made-up words, unique
     * among siblings; brands and a median price per leaf.
     */
    private static List<Category> hierarchy(int leaves, SplittableRandom random) {
        int tops = Math.min(TOP_LEVELS.size(), leaves);
        List<Category> categories = new ArrayList<>(leaves);
        for (int t = 0; t < tops; t++) {
            String top = TOP_LEVELS.get(t);
            String[] brands = words(8, random, new HashSet<>());
            int underTop = leaves / tops + (t < leaves % tops ? 1 : 0);
            int mids = (int) Math.ceil(Math.sqrt(underTop));
            Set<String> midNames = new HashSet<>();
            for (int m = 0; m < mids; m++) {
                String mid = uniqueWord(random, midNames);
                int underMid = underTop / mids + (m < underTop % mids ? 1 : 0);
                Set<String> leafNames = new HashSet<>();
                for (int l = 0; l < underMid; l++) {
                    String[] leafBrands = new String[4];
                    for (int b = 0; b < leafBrands.length; b++) {
                        leafBrands[b] = brands[random.nextInt(brands.length)];
                    }
                    double median = MIN_MEDIAN_PRICE * Math.pow(MAX_MEDIAN_PRICE / MIN_MEDIAN_PRICE, random.nextDouble());
                    categories.add(new Category(top + "." + mid + "." + uniqueWord(random, leafNames), leafBrands,
                            Math.round(median)));
                }
            }
        }
        return categories;
    }

    /** Log-normal weights, largest first, scaled to {@code total} with at least 1 each (largest remainder goes first). */
    static int[] categorySizes(int n, int total, SplittableRandom random) {
        double[] weights = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.exp(CATEGORY_SIZE_SIGMA * gaussian(random));
            sum += weights[i];
        }
        Arrays.sort(weights);
        int[] sizes = new int[n];
        int assigned = 0;
        for (int i = 0; i < n; i++) {
            sizes[i] = 1 + (int) Math.floor((total - n) * weights[n - 1 - i] / sum);
            assigned += sizes[i];
        }
        for (int i = 0; assigned < total; i = (i + 1) % n) {
            sizes[i]++;
            assigned++;
        }
        return sizes;
    }

    private static String[] words(int n, SplittableRandom random, Set<String> taken) {
        String[] words = new String[n];
        for (int i = 0; i < n; i++) {
            words[i] = uniqueWord(random, taken);
        }
        return words;
    }

    private static String uniqueWord(SplittableRandom random, Set<String> taken) {
        while (true) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + random.nextInt(2);
            for (int s = 0; s < syllables; s++) {
                w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            if (taken.add(w.toString())) {
                return w.toString();
            }
        }
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /** Category buckets: the categories, plus one for uncategorized products if there are any. */
    int categoryCount() {
        return byCategory.size();
    }

    /** Leaf categories, without the uncategorized bucket. */
    int leafCategories() {
        return categorized;
    }

    int size() {
        return size;
    }

    /**
     * A category bucket as a shopper's interest or a browsing step picks it: popular categories more
     * often (uniformly in the small catalog, as before), uncategorized products in proportion to their share.
     */
    int randomCategory(SplittableRandom random) {
        if (categoryPopularity == null) {
            return random.nextInt(byCategory.size());
        }
        if (uncategorizedShare > 0 && random.nextDouble() < uncategorizedShare) {
            return categorized;
        }
        return categoryPopularity.sample(random);
    }

    /** A product of bucket {@code c}, best sellers most often. */
    Product pick(int c, SplittableRandom random) {
        return byCategory.get(c).get(withinCategory.get(c).sample(random));
    }

    /** The {@code n} best sellers of a bucket, as a storefront's list would show them. */
    List<Product> top(int c, int n) {
        return byCategory.get(c).subList(0, Math.min(n, byCategory.get(c).size()));
    }

    /** Log-normal around the median, in cents. */
    private static double price(double median, SplittableRandom random) {
        return Math.round(median * Math.exp(0.5 * gaussian(random)) * 100) / 100.0;
    }

    /** Box-Muller, two draws (the order of draws is part of what a seed reproduces). */
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
