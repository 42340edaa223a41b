package io.thinklab.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagicsTest {
    @Test
    void magicLinesRunBetweenJavaParts() {
        List<Magics.Part> parts = Magics.split("int a = 1;\n%maven g:a:1\n  %jars x.jar y.jar\na + 1");
        assertEquals(4, parts.size());
        assertFalse(parts.get(0).isMagic());
        assertEquals("maven", parts.get(1).name());
        assertEquals("g:a:1", parts.get(1).args());
        assertEquals("jars", parts.get(2).name());
        assertEquals("x.jar y.jar", parts.get(2).args());
        assertEquals("a + 1\n", parts.get(3).text());
    }

    @Test
    void cellMagicTakesTheWholeCell() {
        List<Magics.Part> parts = Magics.split("%%time\nint a = 1;\n%jars x.jar\n");
        assertEquals(1, parts.size());
        assertTrue(parts.get(0).isMagic());
        assertEquals("%time", parts.get(0).name());
        assertEquals("int a = 1;\n%jars x.jar\n", parts.get(0).args());
    }

    @Test
    void javaWithoutMagicsIsOnePart() {
        assertEquals(1, Magics.split("int x = 10 % 3;\nx").size());
    }
}
