package io.queuack.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.queuack.DagRun;
import io.queuack.Queuack;
import io.queuack.WorkerPool;
import io.queuack.dag.Dag;
import io.queuack.job.JobOptions;
import io.queuack.job.JobStatus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven through Debian's chromedriver. Against a
 * DuckDB file with real jobs and a running DAG: every page opens, a dead letter is retried by clicking and
 * succeeds, a running task's picture changes state without a reload, a job argument holding HTML shows as text,
 * and phone-wide pages do not overflow. Screenshots of the main pages are kept in {@code target/screenshots/}.
 */
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path folder;

    private Queuack queue;
    private WorkerPool pool;
    private Dashboard dashboard;
    private ChromeDriver browser;
    private final AtomicBoolean broken = new AtomicBoolean(true);
    private final CountDownLatch release = new CountDownLatch(1);
    private long hostileJob;
    private long deadJob;
    private DagRun run;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Needs Debian's chromium and"
                + " chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)");
        queue = Queuack.open(folder.resolve("browser.duckdb"));
        queue.register("echo", Map.class, (context, argument) -> argument);
        queue.register("flaky", String.class, (context, argument) -> {
            if (broken.get()) {
                throw new IllegalStateException("the mail server is down for " + argument);
            }
            return "sent to " + argument;
        });
        hostileJob = queue.enqueue("echo", Map.of("html", DashboardTest.HOSTILE), JobOptions.defaults().queue("web"));
        deadJob = queue.enqueue("flaky", "ada@example.org", JobOptions.defaults().maxAttempts(2)
                .backoff(io.queuack.job.Backoff.NONE));
        for (int i = 0; i < 40; i++) {
            queue.enqueue("echo", Map.of("n", i));
        }
        pool = queue.workers().concurrency(4).queue("default").queue("web").start();
        assertEquals(JobStatus.DEAD, queue.await(deadJob, Duration.ofSeconds(30)).status());
        run = queue.submit(Dag.builder("nightly").task("extract", () -> 1)
                .task("transform", () -> {
                    release.await(60, TimeUnit.SECONDS);
                    return 2;
                }).after("extract")
                .task("load", () -> 3).after("transform").build());
        dashboard = Dashboard.builder(queue).allowActions().start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (queue != null) {
            queue.close();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private String main() {
        return browser.findElement(By.id("main")).getText();
    }

    private void shot(String name) throws Exception {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aUserWatchesRetriesAndReadsEveryPage() throws Exception {
        browser.get(dashboard.url());
        String base = dashboard.url().substring(0, dashboard.url().indexOf('?'));
        assertEquals(base, browser.getCurrentUrl(), "the token left the address for a cookie");
        waiting().until(driver -> main().contains("succeeded"));
        assertTrue(browser.findElement(By.cssSelector("svg.chart")).isDisplayed(), "the throughput chart");
        shot("queues");

        // every page opens and says what it is
        Map<String, String> pages = Map.of("jobs", "Jobs", "dead", "Dead letters", "runs", "DAG runs",
                "schedules", "Schedules", "workers", "Worker pools", "job?id=" + hostileJob, "Job " + hostileJob);
        for (Map.Entry<String, String> page : pages.entrySet()) {
            browser.get(base + page.getKey());
            assertTrue(browser.findElement(By.tagName("h1")).getText().startsWith(page.getValue()),
                    page.getKey() + ": " + browser.findElement(By.tagName("h1")).getText());
            shot(page.getKey().replaceAll("[^a-z]", ""));
        }

        // a job argument holding HTML is shown as text, never run
        browser.get(base + "job?id=" + hostileJob);
        String argument = browser.findElement(By.cssSelector("pre.json")).getText();
        assertTrue(argument.contains(DashboardTest.HOSTILE), argument);
        // had the markup run, its alert would fail the next browser command
        assertTrue(browser.findElements(By.cssSelector("main script, main img")).isEmpty(), "no element was made");

        // a live run: the task that waits shows RUNNING, then SUCCEEDED without a reload
        browser.get(base + "run?id=" + run.id());
        waiting().until(driver -> pictureOf("transform").contains("RUNNING"));
        shot("run-running");
        Object page = ((JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin");
        release.countDown();
        waiting().until(driver -> pictureOf("load").contains("SUCCEEDED"));
        assertTrue(browser.findElement(By.id("main")).getAttribute("data-refreshed") != null, "refreshed in place");
        assertEquals(page, ((JavascriptExecutor) browser).executeScript("return window.performance.timeOrigin"),
                "the same page, not a reload");
        shot("run-succeeded");

        // a dead letter retried by clicking: it succeeds
        browser.get(base + "dead");
        assertTrue(main().contains("flaky"), main());
        broken.set(false);
        WebElement retry = browser.findElement(By.cssSelector("form.act button[value=retry]"));
        retry.click();
        waiting().until(driver -> queue.job(deadJob).orElseThrow().status() == JobStatus.SUCCEEDED);
        browser.get(base + "job?id=" + deadJob);
        waiting().until(driver -> main().contains("sent to ada@example.org"));
        assertTrue(main().contains("Attempt 1") && main().contains("Attempt 2") && main().contains("the mail server is down"),
                "the failed attempts stay in the history: " + main());
        shot("job-retried");

        // phone width: nothing wider than the screen but the tables' own scroll boxes
        browser.manage().window().setSize(new Dimension(390, 844));
        for (String path : List.of("", "jobs", "job?id=" + deadJob, "run?id=" + run.id())) {
            browser.get(base + path);
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth");
            assertTrue(((Number) overflow).intValue() <= 1, path + " overflows by " + overflow + " px");
        }
        browser.get(base);
        shot("queues-phone");
    }

    /** @return the label and state of {@code task}'s box in the run picture (its tooltip), or "" */
    private String pictureOf(String task) {
        Object text = ((JavascriptExecutor) browser).executeScript("const title = [...document.querySelectorAll("
                + "'.picture svg g > title')].find(t => t.textContent.split('\\n')[0] === arguments[0]);"
                + " return title ? title.textContent : '';", task);
        return String.valueOf(text);
    }
}
