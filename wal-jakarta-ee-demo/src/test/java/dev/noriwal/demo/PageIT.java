package dev.noriwal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's chromium and chromium-driver packages, which
 * .ci/run installs), against the embedded demo. A missing browser fails the test: it is never
 * skipped. A screenshot of the final page is written to target/page.png.
 */
class PageIT {
  private static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
  private static final String CHROMEDRIVER =
      System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");

  private DemoProcess demo;
  private Path profile;
  private WebDriver browser;

  @BeforeEach
  void start() throws Exception {
    assertTrue(
        new File(CHROMIUM).canExecute(),
        CHROMIUM + " is missing: install Debian's chromium package (apt-get install chromium)");
    assertTrue(
        new File(CHROMEDRIVER).canExecute(),
        CHROMEDRIVER + " is missing: install Debian's chromium-driver package");
    demo = DemoProcess.start(DemoProcess.newDataDir("page"));
    profile = DemoProcess.newDataDir("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void transferThroughTheFormChangesBalancesAndAddsAJournalEntry() throws Exception {
    Api api = demo.api();
    assertEquals(
        201, api.post("api/accounts", "{\"id\":\"alice\",\"initialBalance\":10000}").status());
    assertEquals(
        201, api.post("api/accounts", "{\"id\":\"bob\",\"initialBalance\":5000}").status());

    browser.get(demo.baseUrl());
    // The page re-renders its tables every 2 s; an element found just before that goes stale.
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(
        d -> "100.00".equals(balanceCell(d, "alice")) && "50.00".equals(balanceCell(d, "bob")));
    wait.until(d -> !d.findElement(By.id("stats")).getText().isBlank());
    assertTrue(browser.findElement(By.id("stats")).getText().contains("always"));
    assertTrue(
        browser.findElement(By.id("mbean")).getText().contains("dev.noriwal:type=Log,name=ledger"));

    new Select(browser.findElement(By.id("from"))).selectByValue("alice");
    new Select(browser.findElement(By.id("to"))).selectByValue("bob");
    browser.findElement(By.id("amount")).sendKeys("12.34");
    browser.findElement(By.id("transfer-submit")).click();

    wait.until(ExpectedConditions.attributeToBe(By.id("message"), "class", "ok"));
    wait.until(
        d -> "87.66".equals(balanceCell(d, "alice")) && "62.34".equals(balanceCell(d, "bob")));
    wait.until(d -> firstJournalRow(d).contains("transfer"));
    String row = firstJournalRow(browser);
    assertTrue(row.contains("alice → bob") && row.contains("12.34"), row);
    assertEquals("150.00", browser.findElement(By.id("total")).getText());

    // The page shows the server's numbers, which come from the log.
    assertEquals(8766, api.json("api/accounts/alice").getJsonNumber("balance").longValueExact());
    assertEquals(
        "transfer",
        api.json("api/journal?limit=1").getJsonArray("entries").getJsonObject(0).getString("type"));

    // An overdraft through the form is refused with the server's message and changes nothing.
    browser.findElement(By.id("amount")).sendKeys("1000");
    browser.findElement(By.id("transfer-submit")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("message"), "class", "bad"));
    assertTrue(
        browser.findElement(By.id("message")).getText().contains("cannot pay"),
        browser.findElement(By.id("message")).getText());
    assertEquals("87.66", balanceCell(browser, "alice"));
    assertEquals(8766, api.json("api/accounts/alice").getJsonNumber("balance").longValueExact());

    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), Path.of("target", "page.png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String balanceCell(WebDriver d, String account) {
    return text(d, "#accounts tr[data-account='" + account + "'] td.balance");
  }

  private static String firstJournalRow(WebDriver d) {
    return text(d, "#journal tbody tr");
  }

  /** The visible text of the first match, read in one step in the page (never stale). */
  private static String text(WebDriver d, String css) {
    Object t =
        ((JavascriptExecutor) d)
            .executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';",
                css);
    return t == null ? "" : t.toString().trim();
  }
}
