package org.streamingmlp.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** A PNG line chart of every contender's fading prequential accuracy over the stream (java.awt, headless). */
final class Chart {

    private static final Color[] COLORS = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private Chart() {
    }

    static void write(Path file, String title, Map<String, Curve> curves) throws IOException {
        int width = 1100;
        int height = 620;
        int left = 70;
        int right = 260;
        int top = 50;
        int bottom = 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        long maxX = curves.values().stream().flatMap(c -> c.points().stream()).mapToLong(Curve.Point::examples)
                .max().orElse(1);
        double minY = Math.max(0, Math.floor(curves.values().stream().flatMap(c -> c.points().stream())
                .mapToDouble(Curve.Point::fadingAccuracy).filter(Double::isFinite).min().orElse(0) * 10) / 10);
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xdddddd));
        for (int i = 0; i <= 10; i++) {
            double y = minY + (1 - minY) * i / 10;
            int py = top + plotH - (int) ((y - minY) / (1 - minY) * plotH);
            g.setColor(new Color(0xe5e5e5));
            g.drawLine(left, py, left + plotW, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.2f", y), left - 40, py + 4);
            long x = maxX * i / 10;
            int px = left + (int) ((double) x / maxX * plotW);
            g.drawString(String.format("%,d", x), px - 20, top + plotH + 20);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotW, plotH);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("examples (fading prequential accuracy, alpha 0.999)", left + plotW / 2 - 140, height - 20);
        int c = 0;
        for (Map.Entry<String, Curve> entry : curves.entrySet()) {
            g.setColor(COLORS[c % COLORS.length]);
            g.setStroke(new BasicStroke(c == 0 ? 2.4f : 1.4f));
            List<Curve.Point> points = entry.getValue().points();
            for (int i = 1; i < points.size(); i++) {
                Curve.Point a = points.get(i - 1);
                Curve.Point b = points.get(i);
                g.drawLine(left + (int) ((double) a.examples() / maxX * plotW),
                        top + plotH - (int) ((a.fadingAccuracy() - minY) / (1 - minY) * plotH),
                        left + (int) ((double) b.examples() / maxX * plotW),
                        top + plotH - (int) ((b.fadingAccuracy() - minY) / (1 - minY) * plotH));
            }
            int ly = top + 20 + c * 20;
            g.fillRect(left + plotW + 15, ly - 8, 18, 8);
            g.setColor(Color.BLACK);
            g.drawString(entry.getKey(), left + plotW + 40, ly);
            c++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
