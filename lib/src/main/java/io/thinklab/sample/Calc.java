package io.thinklab.sample;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One exact arithmetic step of a worked solution: {@code a op b = result}, with a short label saying what the
 * result means ("the cost of the pens").
 *
 * <p>The synthetic teachers build every sentence of their reasoning from these steps, so each number they write
 * is a real intermediate result of the problem. Results are exact ({@link BigDecimal}); a division that does not
 * terminate is a generator bug and throws.
 *
 * @param label  what the result is, as a noun phrase
 * @param a      the left operand
 * @param op     the operation
 * @param b      the right operand
 * @param result {@code a op b}, exact
 */
public record Calc(String label, BigDecimal a, Op op, BigDecimal b, BigDecimal result) {

  /** The four operations of the generator, with their ASCII and typeset symbols. */
  public enum Op {
    ADD("+", "+"), SUB("-", "-"), MUL("*", "×"), DIV("/", "÷");

    private final String ascii;
    private final String typeset;

    Op(String ascii, String typeset) {
      this.ascii = ascii;
      this.typeset = typeset;
    }

    /** The symbol: ASCII at mini scale (small vocabulary), typeset at full scale. */
    public String symbol(boolean asciiOnly) {
      return asciiOnly ? ascii : typeset;
    }

    /** The operation's name in words: addition, subtraction, multiplication, division. */
    public String word() {
      return switch (this) {
        case ADD -> "addition";
        case SUB -> "subtraction";
        case MUL -> "multiplication";
        case DIV -> "division";
      };
    }

    /** Applies the operation exactly. */
    public BigDecimal apply(BigDecimal a, BigDecimal b) {
      return switch (this) {
        case ADD -> a.add(b);
        case SUB -> a.subtract(b);
        case MUL -> a.multiply(b);
        case DIV -> a.divide(b, 12, RoundingMode.UNNECESSARY).stripTrailingZeros();
      };
    }
  }

  public Calc {
    Objects.requireNonNull(label, "label");
    if (op.apply(a, b).compareTo(result) != 0) {
      throw new IllegalArgumentException("wrong step: " + a + " " + op + " " + b + " != " + result);
    }
  }

  /** The step {@code a op b}, its result computed exactly. */
  public static Calc of(String label, BigDecimal a, Op op, BigDecimal b) {
    return new Calc(label, a, op, b, op.apply(a, b));
  }

  /** The step {@code a op b} for whole numbers. */
  public static Calc of(String label, long a, Op op, long b) {
    return of(label, BigDecimal.valueOf(a), op, BigDecimal.valueOf(b));
  }

  /** {@code a op b = result} with the problem's own number formatting. */
  public String equation(boolean asciiOnly) {
    return Num.fmt(a) + " " + op.symbol(asciiOnly) + " " + Num.operand(b) + " = " + Num.fmt(result);
  }
}
