package dev.rtpe.common;

import java.util.Objects;

/** One product line of a list, cart, checkout or order. A Flink POJO: public fields, no-arg constructor. */
public class LineItem {
    public String productId;
    public String category;
    public String brand;
    /** Unit price in the event's currency; NaN when not given. */
    public double price = Double.NaN;
    /** Units; 0 when not given. */
    public int quantity;

    public LineItem() {}

    public LineItem(String productId, String category, double price, int quantity) {
        this.productId = productId;
        this.category = category;
        this.price = price;
        this.quantity = quantity;
    }

    public boolean hasPrice() {
        return !Double.isNaN(price);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LineItem)) {
            return false;
        }
        LineItem that = (LineItem) o;
        return Double.compare(price, that.price) == 0 && quantity == that.quantity
                && Objects.equals(productId, that.productId) && Objects.equals(category, that.category)
                && Objects.equals(brand, that.brand);
    }

    @Override
    public int hashCode() {
        return Objects.hash(productId, category, brand, price, quantity);
    }

    @Override
    public String toString() {
        return "LineItem{" + productId + " x" + quantity + " @" + price + "}";
    }
}
