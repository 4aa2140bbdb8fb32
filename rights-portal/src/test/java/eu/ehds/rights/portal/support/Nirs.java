package eu.ehds.rights.portal.support;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Valid, distinct test NIRs (synthetic: department 99 is "born abroad"). */
public final class Nirs {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000);

    private Nirs() {
    }

    public static String anyNir() {
        long n = NEXT.incrementAndGet();
        String body = String.format("1%02d%02d99%03d%03d", n % 100, 1 + (n / 100) % 12, (n / 1200) % 1000,
                (n / 1_200_000) % 1000 + 1);
        int key = 97 - new BigInteger(body).mod(BigInteger.valueOf(97)).intValue();
        return body + String.format("%02d", key);
    }
}
