package gpupoor.dsl;

import gpupoor.view.ChartImage;
import gpupoor.view.Displayable;
import gpupoor.view.Html;
import gpupoor.calc.InvalidScenarioException;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A chart with the data behind it. In a notebook it shows as a PNG image; in jshell it prints its
 * title and the data table. {@link #chart()} gives the XChart object for restyling,
 * {@link #save(String)} writes it as PNG or SVG.
 */
public final class Plot implements Displayable {

    private final Chart<?, ?> chart;
    private final Supplier<Table> data;

    Plot(Chart<?, ?> chart, Supplier<Table> data) {
        this.chart = chart;
        this.data = data;
    }

    /** The XChart chart ({@code XYChart} or {@code CategoryChart}); changing it changes this plot. */
    public Chart<?, ?> chart() {
        return chart;
    }

    /** The chart's title. */
    public String title() {
        return chart.getTitle();
    }

    /** The data plotted, one row per point. */
    public Table table() {
        return data.get();
    }

    /** The chart as PNG bytes. */
    public byte[] png() {
        return ChartImage.png(chart);
    }

    /**
     * Writes the chart to {@code file}: PNG when the name ends in {@code .png}, SVG when it ends in
     * {@code .svg}. Example: {@code sweep.plot(Metric.MEMORY).save("memory.svg")}.
     *
     * @return the path written
     * @throws InvalidScenarioException when the name ends otherwise, or the file cannot be written
     */
    public Path save(String file) {
        Path path = checkFileName(file);
        try {
            if (file.toLowerCase(Locale.ROOT).endsWith(".svg")) {
                Files.writeString(path, ChartImage.svg(chart));
            } else {
                Files.write(path, png());
            }
        } catch (IOException e) {
            throw new InvalidScenarioException("cannot write the chart to '" + file + "': " + e.getMessage());
        }
        return path;
    }

    /**
     * Checks that a chart can be written under {@code file} (before any work is done): its name
     * ends in {@code .png} or {@code .svg}. Example: {@code Plot.checkFileName("memory.png")}.
     *
     * @return the path
     * @throws InvalidScenarioException naming the formats written
     */
    public static Path checkFileName(String file) {
        String name = file == null ? "" : file.toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png") && !name.endsWith(".svg")) {
            throw new InvalidScenarioException("cannot write a chart as '" + file + "': charts are written as PNG or SVG, "
                    + "so the file name must end in .png or .svg");
        }
        try {
            return Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidScenarioException("cannot write a chart as '" + file + "': not a usable file path");
        }
    }

    @Override
    public String toHtml() {
        return Html.image(chart);
    }

    @Override
    public String toText() {
        return "chart: " + chart.getTitle() + " (in a notebook it shows as an image; save(\"chart.png\") writes it)\n"
                + table().print(20);
    }

    @Override
    public String toString() {
        return toText();
    }
}
