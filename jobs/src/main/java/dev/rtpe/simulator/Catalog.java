package dev.rtpe.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A store's catalog: categories with typical prices, and products whose popularity follows a Zipf
 * law within their category (a few best sellers, a long tail).
 */
final class Catalog {
    /** A category path and the median price of its products. */
    record Category(String path, String[] brands, double medianPrice) {}

    record Product(String id, Category category, String brand, double price) {}

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

    private final List<List<Product>> byCategory = new ArrayList<>();
    private final ZipfSampler withinCategory;

    /** Builds {@code productsPerCategory} products per category; deterministic for a seed. */
    Catalog(int productsPerCategory, double zipfExponent, SplittableRandom random) {
        withinCategory = new ZipfSampler(productsPerCategory, zipfExponent);
        int next = 1;
        for (Category c : CATEGORIES) {
            List<Product> products = new ArrayList<>();
            for (int i = 0; i < productsPerCategory; i++) {
                String brand = c.brands()[random.nextInt(c.brands().length)];
                products.add(new Product("p-" + next++, c, brand, price(c.medianPrice(), random)));
            }
            byCategory.add(products);
        }
    }

    int categoryCount() {
        return byCategory.size();
    }

    int size() {
        return byCategory.size() * withinCategory.size();
    }

    /** A product of category {@code c}, best sellers most often. */
    Product pick(int c, SplittableRandom random) {
        return byCategory.get(c).get(withinCategory.sample(random));
    }

    /** The {@code n} best sellers of a category, as a storefront's list would show them. */
    List<Product> top(int c, int n) {
        return byCategory.get(c).subList(0, Math.min(n, byCategory.get(c).size()));
    }

    /** Log-normal around the median, in cents. */
    private static double price(double median, SplittableRandom random) {
        double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        return Math.round(median * Math.exp(0.5 * gaussian) * 100) / 100.0;
    }
}
