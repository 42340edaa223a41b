package io.thinklab.sample;

import static io.thinklab.sample.Calc.Op.ADD;
import static io.thinklab.sample.Calc.Op.DIV;
import static io.thinklab.sample.Calc.Op.MUL;
import static io.thinklab.sample.Calc.Op.SUB;
import static io.thinklab.sample.Num.between;
import static io.thinklab.sample.Num.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-step word problems with whole numbers: shopping change, baking, fair sharing, a two-leg trip; and, with a
 * chosen number of parts, a shopping basket and a journey of several legs ({@link #multiStep}), which the
 * structured teacher uses for its longer rows.
 */
final class ArithmeticProblems {
  private ArithmeticProblems() {}

  static final String[] NAMES = {"Maya", "Omar", "Lena", "Tariq", "Sofia", "Ben", "Aiko", "Ravi", "Nora", "Diego"};
  static final String[] MINI_NAMES = {"Sam", "Ana", "Tom", "Mia"};

  static Problem next(SplittableRandom rnd, boolean mini) {
    return switch (rnd.nextInt(4)) {
      case 0 -> shopping(rnd, mini);
      case 1 -> baking(rnd, mini);
      case 2 -> sharing(rnd, mini);
      default -> trip(rnd, mini);
    };
  }

  static Problem shopping(SplittableRandom rnd, boolean mini) {
    int n = mini ? between(rnd, 2, 5) : between(rnd, 2, 9);
    int price = mini ? between(rnd, 1, 9) : between(rnd, 2, 15);
    int cost = n * price;
    int bill = cost < 10 ? 10 : cost < 20 ? 20 : cost < 50 ? 50 : cost < 100 ? 100 : 200;
    String name = pick(rnd, mini ? MINI_NAMES : NAMES);
    String item = mini ? "pens" : pick(rnd, "notebooks", "sandwiches", "movie tickets", "bags of apples", "paint brushes");
    String text = mini
        ? "%s buys %s pens at %s each and pays %s. What is the change?".formatted(name, n, price, bill)
        : pick(rnd,
            "%1$s buys %2$s %3$s that cost $%4$s each and pays with a $%5$s bill. How much change, in dollars, should %1$s get back?",
            "At the market, %1$s picks up %2$s %3$s priced at $%4$s apiece and hands the cashier $%5$s. How many dollars of change does %1$s receive?")
            .formatted(name, n, item, price, bill);
    Calc c1 = Calc.of(mini ? "cost" : "the cost of the " + item, n, MUL, price);
    Calc c2 = Calc.of(mini ? "change" : "the change", bill, SUB, cost);
    Calc k1 = Calc.of(mini ? "cost plus change" : "the cost plus the change", c1.result(), ADD, c2.result());
    return new Problem("arithmetic", "shopping", text, Num.params("n", n, "price", price, "bill", bill),
        List.of(n + " " + item, "$" + price + " each", "paid with $" + bill), mini ? "the change" : "the change in dollars",
        mini ? "" : "dollars", List.of(c1, c2), List.of(k1));
  }

  static Problem baking(SplittableRandom rnd, boolean mini) {
    int trays = mini ? between(rnd, 2, 5) : between(rnd, 3, 12);
    int per = mini ? between(rnd, 2, 9) : between(rnd, 6, 24);
    int total = trays * per;
    int sold = between(rnd, Math.max(1, total / 3), total - 1);
    String text = mini
        ? "A shop bakes %s trays of %s buns and sells %s. How many buns are left?".formatted(trays, per, sold)
        : pick(rnd,
            "A bakery bakes %s trays of %s muffins each. By closing time it has sold %s muffins. How many muffins are left?",
            "For a school fair, volunteers bake %s trays with %s cookies on each tray. They sell %s cookies. How many cookies remain unsold?")
            .formatted(trays, per, sold);
    String thing = text.contains("cookies") ? "cookies" : mini ? "buns" : "muffins";
    Calc c1 = Calc.of(mini ? "buns" : "the number of " + thing + " baked", trays, MUL, per);
    Calc c2 = Calc.of(mini ? "left" : "the number of " + thing + " left", total, SUB, sold);
    Calc k1 = Calc.of(mini ? "left plus sold" : thing + " left plus " + thing + " sold", c2.result(), ADD, Num.bd(sold));
    return new Problem("arithmetic", "baking", text, Num.params("trays", trays, "per_tray", per, "sold", sold),
        List.of(trays + " trays", per + " " + thing + " per tray", sold + " sold"), "the number of " + thing + " left", "",
        List.of(c1, c2), List.of(k1));
  }

  static Problem sharing(SplittableRandom rnd, boolean mini) {
    int friends = mini ? between(rnd, 2, 5) : between(rnd, 3, 9);
    int each = mini ? between(rnd, 2, 9) : between(rnd, 3, 15);
    int kept = mini ? between(rnd, 1, 5) : between(rnd, 2, 20);
    int total = friends * each + kept;
    String name = pick(rnd, mini ? MINI_NAMES : NAMES);
    String text = mini
        ? "%s has %s apples, keeps %s and shares the rest equally among %s friends. How many apples does each friend get?"
            .formatted(name, total, kept, friends)
        : pick(rnd,
            "%1$s has %2$s stickers, keeps %3$s for a scrapbook and shares the rest equally among %4$s friends. How many stickers does each friend get?",
            "%1$s collected %2$s marbles. After putting %3$s aside, %1$s divides the others equally between %4$s cousins. How many marbles does each cousin receive?")
            .formatted(name, total, kept, friends);
    String thing = mini ? "apples" : text.contains("marbles") ? "marbles" : "stickers";
    Calc c1 = Calc.of(mini ? "rest" : "the " + thing + " to share", total, SUB, kept);
    Calc c2 = Calc.of(mini ? "each" : "the " + thing + " for each person", c1.result(), DIV, Num.bd(friends));
    Calc k1 = Calc.of(mini ? "shared" : "the " + thing + " handed out", c2.result(), MUL, Num.bd(friends));
    Calc k2 = Calc.of(mini ? "total" : "the " + thing + " handed out plus those kept", k1.result(), ADD, Num.bd(kept));
    return new Problem("arithmetic", "sharing", text, Num.params("total", total, "kept", kept, "people", friends),
        List.of(total + " " + thing, kept + " kept", friends + " people sharing"), "how many " + thing + " each person gets", "",
        List.of(c1, c2), List.of(k1, k2));
  }

  static Problem trip(SplittableRandom rnd, boolean mini) {
    int h1 = between(rnd, 1, mini ? 3 : 4);
    int h2 = between(rnd, 1, mini ? 3 : 4);
    int v1 = mini ? 10 * between(rnd, 2, 9) : 5 * between(rnd, 8, 18);
    int v2 = mini ? 10 * between(rnd, 2, 9) : 5 * between(rnd, 8, 18);
    String text = mini
        ? "A car drives %s hours at %s km per hour, then %s hours at %s km per hour. How many km does it go?".formatted(h1, v1, h2, v2)
        : pick(rnd,
            "A train travels for %s hours at %s km/h and then for %s hours at %s km/h. How many kilometres does it travel in total?",
            "A cyclist-support van drives %s hours at an average of %s km/h, stops for lunch, then drives %s more hours at %s km/h. What total distance in kilometres does it cover?")
            .formatted(h1, v1, h2, v2);
    Calc c1 = Calc.of(mini ? "first part" : "the distance of the first leg", v1, MUL, h1);
    Calc c2 = Calc.of(mini ? "second part" : "the distance of the second leg", v2, MUL, h2);
    Calc c3 = Calc.of(mini ? "total" : "the total distance", c1.result(), ADD, c2.result());
    Calc k1 = Calc.of(mini ? "total minus second part" : "the total minus the second leg", c3.result(), SUB, c2.result());
    return new Problem("arithmetic", "trip", text, Num.params("h1", h1, "v1", v1, "h2", h2, "v2", v2),
        List.of(h1 + " h at " + v1 + " km/h", h2 + " h at " + v2 + " km/h"), "the total distance", mini ? "km" : "kilometres",
        List.of(c1, c2, c3), List.of(k1));
  }

  // ---- sized problems: the number of parts sets the number of steps --------------------------------------

  static final String[] ITEMS = {"notebooks", "sandwiches", "movie tickets", "bags of apples", "paint brushes",
      "pencils", "folders", "candles", "mugs", "flower pots"};
  static final String[] MINI_ITEMS = {"pens", "hats", "buns", "apples", "cups"};
  static final String[] ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"};

  /**
   * A problem with {@code parts} parts (2 to 8): a basket of {@code parts} different items with change from a
   * bill ({@code 2·parts} steps; at most 5 items at mini scale), or a journey of {@code parts} legs ({@code 2·parts − 1} steps). The checks add
   * the parts again in reverse order.
   */
  static Problem multiStep(SplittableRandom rnd, boolean mini, int parts) {
    if (parts < 2 || parts > ORDINALS.length) {
      throw new IllegalArgumentException("parts must be 2.." + ORDINALS.length + ": " + parts);
    }
    boolean basket = rnd.nextBoolean() && parts <= (mini ? MINI_ITEMS.length : ITEMS.length);
    return basket ? basket(rnd, mini, parts) : journey(rnd, mini, parts);
  }

  static Problem basket(SplittableRandom rnd, boolean mini, int parts) {
    List<String> pool = new ArrayList<>(List.of(mini ? MINI_ITEMS : ITEMS));
    String name = pick(rnd, mini ? MINI_NAMES : NAMES);
    List<String> items = new ArrayList<>();
    int[] n = new int[parts];
    int[] price = new int[parts];
    List<String> bought = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    int cost = 0;
    for (int i = 0; i < parts; i++) {
      items.add(pool.remove(rnd.nextInt(pool.size())));
      n[i] = mini ? between(rnd, 2, 5) : between(rnd, 2, 9);
      price[i] = mini ? between(rnd, 1, 9) : between(rnd, 2, 15);
      cost += n[i] * price[i];
      bought.add(mini ? n[i] + " " + items.get(i) + " at " + price[i] + " each"
          : n[i] + " " + items.get(i) + " at $" + price[i] + " each");
      params.add("n" + (i + 1));
      params.add(n[i]);
      params.add("price" + (i + 1));
      params.add(price[i]);
    }
    int bill = 0;
    for (int b : new int[] {10, 20, 50, 100, 200, 500, 1000, 2000}) {   // the smallest note or amount that covers it
      if (bill == 0 && b >= cost) {
        bill = b;
      }
    }
    params.add("bill");
    params.add(bill);
    String list = String.join(", ", bought.subList(0, parts - 1)) + " and " + bought.get(parts - 1);
    String text = mini ? "%s buys %s, and pays %s. What is the change?".formatted(name, list, bill)
        : pick(rnd,
            "%1$s buys %2$s, and pays with a $%3$s bill. How much change, in dollars, should %1$s get back?",
            "At the market, %1$s picks up %2$s. %1$s hands the cashier $%3$s. How many dollars of change does %1$s receive?")
            .formatted(name, list, bill);
    List<Calc> costs = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      costs.add(Calc.of(mini ? items.get(i) : "the cost of the " + items.get(i), n[i], MUL, price[i]));
    }
    List<Calc> steps = new ArrayList<>(costs);
    steps.addAll(runningSums(costs, mini ? "cost" : "the cost of the first %s kinds of item", mini ? "cost" : "the total cost"));
    Calc total = steps.get(steps.size() - 1);
    steps.add(Calc.of(mini ? "change" : "the change", bill, SUB, total.result().longValueExact()));
    List<Calc> checks = new ArrayList<>(reverseSums(costs, mini ? "back" : "the cost added from the last item back"));
    checks.add(Calc.of(mini ? "cost plus change" : "the cost plus the change", total.result(), ADD,
        steps.get(steps.size() - 1).result()));
    List<String> facts = new ArrayList<>(bought);
    facts.add("paid with $" + bill);
    return new Problem("arithmetic", "basket", text, Num.params(params.toArray()), facts,
        mini ? "the change" : "the change in dollars", mini ? "" : "dollars", steps, checks);
  }

  static Problem journey(SplittableRandom rnd, boolean mini, int parts) {
    List<String> legs = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    List<Calc> dists = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      int h = between(rnd, 1, mini ? 3 : 4);
      int v = mini ? 10 * between(rnd, 2, 9) : 5 * between(rnd, 8, 18);
      legs.add(mini ? h + " hours at " + v + " km per hour" : h + " hours at " + v + " km/h");
      params.add("h" + (i + 1));
      params.add(h);
      params.add("v" + (i + 1));
      params.add(v);
      dists.add(Calc.of(mini ? "part " + (i + 1) : "the distance of the " + ORDINALS[i] + " leg", v, MUL, h));
    }
    String list = String.join(", then ", legs);
    String text = mini ? "A car drives %s. How many km does it go?".formatted(list)
        : pick(rnd,
            "A delivery van drives %s. How many kilometres does it travel in total?",
            "On a long trip a coach drives %s, with short stops in between. What total distance in kilometres does it cover?")
            .formatted(list);
    List<Calc> steps = new ArrayList<>(dists);
    steps.addAll(runningSums(dists, mini ? "total" : "the distance of the first %s legs", mini ? "total" : "the total distance"));
    List<Calc> checks = new ArrayList<>(reverseSums(dists, mini ? "back" : "the distance added from the last leg back"));
    Calc total = steps.get(steps.size() - 1);
    checks.add(Calc.of(mini ? "total minus last part" : "the total minus the last leg", total.result(), SUB,
        dists.get(parts - 1).result()));
    return new Problem("arithmetic", "journey", text, Num.params(params.toArray()), legs, "the total distance",
        mini ? "km" : "kilometres", steps, checks);
  }

  /** {@code p1 + p2}, then {@code + p3}, …; the last sum is labelled {@code last}, the others by {@code label} (with %s = count). */
  static List<Calc> runningSums(List<Calc> parts, String label, String last) {
    List<Calc> out = new ArrayList<>();
    Calc acc = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      acc = Calc.of(i == parts.size() - 1 ? last : label.formatted(i + 1), acc.result(), ADD, parts.get(i).result());
      out.add(acc);
    }
    return out;
  }

  /** The same parts summed from the last one back: a second route to the total. */
  static List<Calc> reverseSums(List<Calc> parts, String label) {
    List<Calc> out = new ArrayList<>();
    Calc acc = parts.get(parts.size() - 1);
    for (int i = parts.size() - 2; i >= 0; i--) {
      acc = Calc.of(label, acc.result(), ADD, parts.get(i).result());
      out.add(acc);
    }
    return out;
  }
}
