package io.queuack.schedule;

import com.cronutils.model.CronType;

/**
 * The dialects of cron a schedule can be written in, each named explicitly because the same text means
 * different things in each ({@code "0 6 * * *"} is a Unix daily 06:00 but not a valid Quartz expression).
 * Parsing and matching are done by cron-utils.
 */
public enum CronFlavor {

    /** Five fields, {@code minute hour day-of-month month day-of-week}, as crontab(5): {@code "30 2 * * *"}. */
    UNIX(CronType.UNIX, "minute hour day-of-month month day-of-week, e.g. \"30 2 * * *\""),
    /**
     * Quartz: six or seven fields with seconds first and an optional year, {@code ?} in one of the day fields:
     * {@code "0 30 2 ? * MON-FRI"}.
     */
    QUARTZ(CronType.QUARTZ, "second minute hour day-of-month month day-of-week [year], one day field '?',"
            + " e.g. \"0 30 2 ? * MON-FRI\""),
    /** Spring's {@code @Scheduled} cron (5.3 and later): six fields with seconds first: {@code "0 30 2 * * *"}. */
    SPRING(CronType.SPRING53, "second minute hour day-of-month month day-of-week, e.g. \"0 30 2 * * *\"");

    private final CronType type;
    private final String fields;

    CronFlavor(CronType type, String fields) {
        this.type = type;
        this.fields = fields;
    }

    CronType type() {
        return type;
    }

    /** @return what an expression of this flavour holds, for messages */
    String fields() {
        return fields;
    }

    /** @return the flavour named {@code name} (any case: unix, quartz, spring) */
    public static CronFlavor named(String name) {
        for (CronFlavor flavor : values()) {
            if (flavor.name().equalsIgnoreCase(name.strip())) {
                return flavor;
            }
        }
        throw new IllegalArgumentException("Unknown cron flavour '" + name + "': use unix, quartz or spring");
    }
}
