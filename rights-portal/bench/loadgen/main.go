// Command loadgen sends POST /api/v1/decisions at a fixed rate to a server on loopback, for a bounded time, and
// prints throughput and latency percentiles. Latency is measured from each request's scheduled send time, so a
// server that falls behind cannot hide its queueing (no coordinated omission).
//
//	go run ./rights-portal/bench/loadgen -project prj-… -api-key rlk_… -rate 2000 -seconds 30
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	project := flag.String("project", "", "project id")
	apiKey := flag.String("api-key", "", "data holder API key")
	rate := flag.Int("rate", 2000, "requests per second")
	seconds := flag.Int("seconds", 30, "duration")
	flag.Parse()

	u, err := url.Parse(*target)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		fmt.Fprintln(os.Stderr, "loadgen only targets a server on loopback")
		os.Exit(2)
	}
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64},
	}
	total := *rate * *seconds
	latencies := make([]time.Duration, total)
	var failures int64
	var wg sync.WaitGroup
	period := time.Second / time.Duration(*rate)
	start := time.Now().Add(100 * time.Millisecond)
	for i := 0; i < total; {
		// send everything due now, then nap briefly: sleeping per request would add the timer's granularity
		due := int(time.Since(start) / period)
		if due <= i {
			time.Sleep(100 * time.Microsecond)
			continue
		}
		for ; i < due && i < total; i++ {
			scheduled := start.Add(time.Duration(i) * period)
			wg.Add(1)
			go func(i int, scheduled time.Time) {
				defer wg.Done()
				body := fmt.Sprintf(`{"person":"%016x%016x","projectId":"%s"}`, uint64(i)*0x9E3779B97F4A7C15, i, *project)
				req, _ := http.NewRequest(http.MethodPost, *target+"/api/v1/decisions", bytes.NewBufferString(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Api-Key", *apiKey)
				resp, err := client.Do(req)
				if err != nil {
					atomic.AddInt64(&failures, 1)
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						atomic.AddInt64(&failures, 1)
					}
				}
				latencies[i] = time.Since(scheduled)
			}(i, scheduled)
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	pct := func(p float64) time.Duration { return latencies[int(float64(total-1)*p)] }
	fmt.Printf("%d requests at %d/s for %d s: %.0f completed/s, %d failed\n", total, *rate, *seconds,
		float64(total)/elapsed.Seconds(), failures)
	fmt.Printf("latency from scheduled send: p50 %v, p99 %v, p99.9 %v, max %v\n",
		pct(0.50), pct(0.99), pct(0.999), latencies[total-1])
}
