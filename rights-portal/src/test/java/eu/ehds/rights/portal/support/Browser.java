package eu.ehds.rights.portal.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver (both installed by {@code .ci/test}), on loopback only,
 * with downloads into a folder of the test's and screenshots kept under {@code target/screenshots}.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target/screenshots");

    private final ChromeDriver driver;
    private final String base;
    private final Path downloads;
    private final boolean javascript;

    public Browser(int port, Path downloads) {
        this(port, downloads, true);
    }

    /** A browser with JavaScript turned off when {@code javascript} is false, as some people keep it. */
    public Browser(int port, Path downloads, boolean javascript) {
        this.javascript = javascript;
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver, as .ci/test does)");
        }
        this.base = "http://127.0.0.1:" + port;
        this.downloads = downloads;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1400", "--lang=en");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL")); // console messages, read per page
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "intl.accept_languages", "en",
                "profile.managed_default_content_settings.javascript", javascript ? 1 : 2));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    public void open(String path) {
        driver.get(base + path);
    }

    public WebElement find(String cssSelector) {
        return new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(cssSelector)));
    }

    public List<WebElement> all(String cssSelector) {
        return driver.findElements(By.cssSelector(cssSelector));
    }

    /** Clicks a link or button that leads to another page, and waits until that page has replaced this one. */
    public void click(String cssSelector) {
        WebElement page = driver.findElement(By.tagName("html"));
        new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector(cssSelector))).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(replaced(page));
    }

    /**
     * Clicks something that stays on this page: a radio button, a download link. The design system draws radio
     * buttons on their label and hides the input itself, so a person (and this) clicks the label.
     */
    public void choose(String cssSelector) {
        WebElement target = find(cssSelector);
        if ("input".equals(target.getTagName()) && !target.isDisplayed() && target.getAttribute("id") != null) {
            target = find("label[for='" + target.getAttribute("id") + "']");
        }
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(target)).click();
    }

    public void type(String cssSelector, String text) {
        WebElement field = find(cssSelector);
        field.clear();
        field.sendKeys(text);
    }

    public void select(String cssSelector, String value) {
        new org.openqa.selenium.support.ui.Select(find(cssSelector)).selectByValue(value);
    }

    /** Clicks the button or link whose visible text is exactly {@code text}, which leads to another page. */
    public void clickText(String text) {
        WebElement page = driver.findElement(By.tagName("html"));
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(
                By.xpath("//*[self::a or self::button][normalize-space()='" + text + "']"))).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(replaced(page));
    }

    /**
     * The old page's root is gone: stale, or (as Chrome sometimes answers for a node of a document that was just
     * replaced) "does not belong to the document".
     */
    private static ExpectedCondition<Boolean> replaced(WebElement old) {
        return d -> {
            try {
                old.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        };
    }

    /** A citizen signs in through the demonstration identity provider, with the page in {@code lang}. */
    public void signInAsCitizen(String username, String lang) {
        open("/login?lang=" + lang);
        click("#citizen-sign-in");
        waitForPath("/idp/login");
        type("#username", username);
        type("#password", PortalSession.DEMO_PASSWORD);
        click("#sign-in");
        waitForPath("/my");
    }

    /** Staff or a data holder signs in with the portal's own form, and lands on {@code landing}. */
    public void signIn(String username, String password, String landing) {
        open("/login");
        type("#username", username);
        type("#password", password);
        click("#sign-in");
        waitForPath(landing);
    }

    /** The browser's Back button; waits until the previous page has replaced this one. */
    public void back() {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.navigate().back();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(replaced(page));
    }

    /** Runs a script in the page and returns its value. */
    public Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    /** The language the page declares on its root element. */
    public String language() {
        return find("html").getAttribute("lang");
    }

    public void waitForPath(String prefix) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().startsWith(base + prefix));
    }

    public String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    public String text(String cssSelector) {
        return find(cssSelector).getText();
    }

    public String pageText() {
        return find("main").getText();
    }

    /** Forgets every cookie, so that the next person starts signed out everywhere (portal and identity provider). */
    public void signOutEverywhere() {
        driver.manage().deleteAllCookies();
    }

    /** Waits for a downloaded file (complete, not a partial one) and returns it. */
    public Path downloaded(String fileName) {
        Path file = downloads.resolve(fileName);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> Files.exists(file)
                && !Files.exists(downloads.resolve(fileName + ".crdownload")));
        return file;
    }

    /**
     * Keeps a screenshot of the whole current page and checks it against WCAG 2.1 A and AA with axe-core; the
     * violations found are collected for {@link #accessibilityViolations()}, the console's errors for
     * {@link #consoleErrors()}.
     */
    public void screenshot(String name) {
        if (javascript) { // axe-core runs as a script of the page: without scripts, only the picture
            checkAccessibility(name);
            collectConsoleErrors(name);
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), wholePage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole page, not only what the window shows (Chrome's DevTools protocol). */
    @SuppressWarnings("unchecked")
    private byte[] wholePage() {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double width = ((Number) size.get("width")).doubleValue();
        double height = Math.min(((Number) size.get("height")).doubleValue(), 12_000);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        return java.util.Base64.getDecoder().decode((String) shot.get("data"));
    }

    private final List<String> violations = new java.util.ArrayList<>();

    private void checkAccessibility(String page) {
        driver.executeScript(Axe.source());
        Object found = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                + ".then(function (r) { done(r.violations.map(function (v) { return v.id + ' (' + v.impact + '): '"
                + " + v.help + ' at ' + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })"
                + ".join(', '); })); }).catch(function (e) { done(['axe failed: ' + e]); });");
        for (Object violation : (List<?>) found) {
            violations.add(page + ": " + violation);
        }
    }

    /** Sets the window's width in CSS pixels (a phone: 390 or 320), the height a phone's too. */
    public void width(int pixels) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(pixels, pixels < 800 ? 844 : 1400));
    }

    /**
     * How far the current page scrolls sideways (0 when it fits), and the widest elements that stick out, so that a
     * failure says which to fix.
     */
    public String horizontalOverflow() {
        Object found = driver.executeScript("var w = document.documentElement.clientWidth;"
                + "var over = document.documentElement.scrollWidth - w; if (over <= 0) return '';"
                + "var out = []; document.querySelectorAll('body *').forEach(function (e) {"
                + " var r = e.getBoundingClientRect(); var s = e.parentElement && e.parentElement.closest('.table-scroll');"
                + " if (r.right > w + 1 && !s && out.length < 5) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
                + " + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') + ' ' + Math.round(r.right)); });"
                + "if (out.length == 0) document.querySelectorAll('body, body *').forEach(function (e) {"
                + " if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX == 'visible' && out.length < 5)"
                + " out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' overflows by '"
                + " + (e.scrollWidth - e.clientWidth)); });"
                + "return over + 'px: ' + out.join(', ');");
        return String.valueOf(found);
    }

    private final List<String> consoleErrors = new java.util.ArrayList<>();
    private String expectedRefusal = "\u0000";

    /**
     * The next page is a form the test expects the server to refuse (a 4xx the test checks): Chrome logs that answer
     * in the console, and it is not counted as an error of the page.
     */
    public void expectRefusal(String path) {
        expectedRefusal = base + path + " - Failed to load resource: the server responded with a status of 4";
    }

    /**
     * Keeps the errors the browser's console shows for this page (a script failing, a resource refused by the content
     * security policy, a missing file), read since the last page.
     */
    private void collectConsoleErrors(String page) {
        for (org.openqa.selenium.logging.LogEntry entry : driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()
                    && !entry.getMessage().startsWith(expectedRefusal)) {
                consoleErrors.add(page + ": " + entry.getMessage());
            }
        }
        expectedRefusal = "\u0000";
    }

    /** Every error the console showed on the pages screenshot so far. */
    public List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    /** Every WCAG violation axe-core found on the pages screenshot so far. */
    public List<String> accessibilityViolations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
