package app.tally.services.imports.bills;

import app.tally.json.Json;
import app.tally.model.FieldError;
import app.tally.services.ledger.TransactionInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which category a bill row goes to. The user's rules come first (counterparty or goods contains a keyword → a
 * category), then Alipay's own 交易分类 through {@link #ALIPAY}, then the keyword rules of {@link #WECHAT} (WeChat bills
 * have no category; they serve Alipay rows whose category maps to nothing too), then {@link #DEFAULT}.
 */
public record CategoryRules(List<Rule> rules) {
    public static final String DEFAULT = "未分类";
    public static final int MAX_RULES = 100;
    public static final int MAX_KEYWORD = 50;
    public static final CategoryRules NONE = new CategoryRules(List.of());

    /** Alipay's 交易分类 → Tally's categories. */
    static final Map<String, String> ALIPAY = Map.ofEntries(
            Map.entry("餐饮美食", "餐饮"), Map.entry("交通出行", "交通"), Map.entry("日用百货", "日用"),
            Map.entry("服饰装扮", "服饰"), Map.entry("数码电器", "数码"), Map.entry("美容美发", "美容"),
            Map.entry("母婴亲子", "母婴"), Map.entry("宠物", "宠物"), Map.entry("医疗健康", "医疗"),
            Map.entry("文化休闲", "娱乐"), Map.entry("运动户外", "运动"), Map.entry("酒店旅游", "旅行"),
            Map.entry("住房物业", "住房"), Map.entry("生活服务", "生活服务"), Map.entry("充值缴费", "水电"),
            Map.entry("教育培训", "教育"), Map.entry("爱车养车", "交通"), Map.entry("家居家装", "日用"),
            Map.entry("保险", "保险"), Map.entry("公益", "公益"), Map.entry("转账红包", "转账"),
            Map.entry("投资理财", "理财"), Map.entry("收入", "收入"), Map.entry("商业服务", "生活服务"));

    /** Keywords in a counterparty or goods text → category; the first that matches wins. */
    static final List<Rule> WECHAT = List.of(
            new Rule("美团", "餐饮"), new Rule("饿了么", "餐饮"), new Rule("瑞幸", "餐饮"), new Rule("星巴克", "餐饮"),
            new Rule("肯德基", "餐饮"), new Rule("麦当劳", "餐饮"), new Rule("餐饮", "餐饮"), new Rule("咖啡", "餐饮"),
            new Rule("滴滴", "交通"), new Rule("12306", "交通"), new Rule("地铁", "交通"), new Rule("公交", "交通"),
            new Rule("出行", "交通"), new Rule("加油", "交通"), new Rule("超市", "日用"), new Rule("便利店", "日用"),
            new Rule("京东", "日用"), new Rule("拼多多", "日用"), new Rule("电费", "水电"), new Rule("水费", "水电"),
            new Rule("燃气", "水电"), new Rule("话费", "水电"), new Rule("房租", "房租"), new Rule("医院", "医疗"),
            new Rule("药房", "医疗"), new Rule("电影", "娱乐"), new Rule("红包", "转账"), new Rule("转账", "转账"));

    /** A keyword and the category a row containing it goes to. */
    public record Rule(String contains, String category) {
    }

    /** The category of a row; {@code billCategory} is Alipay's 交易分类 (null for WeChat). */
    String category(String counterparty, String goods, String billCategory) {
        String match = match(rules, counterparty, goods);
        if (match != null) {
            return match;
        }
        if (billCategory != null && ALIPAY.containsKey(billCategory)) {
            return ALIPAY.get(billCategory);
        }
        match = match(WECHAT, counterparty, goods);
        return match != null ? match : DEFAULT;
    }

    private static String match(List<Rule> rules, String counterparty, String goods) {
        for (Rule rule : rules) {
            if (counterparty.contains(rule.contains()) || goods.contains(rule.contains())) {
                return rule.category();
            }
        }
        return null;
    }

    /** {@code [{"contains", "category"}]}, each checked; problems are added to {@code errors}. */
    public static CategoryRules from(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isArray() || node.size() > MAX_RULES) {
            errors.add(new FieldError("rules", "must be an array of at most " + MAX_RULES + " {contains, category}"));
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode rule = node.get(i);
            String contains = rule.path("contains").isTextual() ? rule.get("contains").textValue().strip() : "";
            String category = rule.path("category").isTextual() ? rule.get("category").textValue().strip() : "";
            if (!rule.isObject() || rule.size() != 2 || contains.isEmpty() || contains.length() > MAX_KEYWORD
                    || category.isEmpty() || category.codePointCount(0, category.length()) > TransactionInput.MAX_CATEGORY
                    || (contains + category).codePoints().anyMatch(Character::isISOControl)) {
                errors.add(new FieldError("rules[" + i + "]", "must be {\"contains\": 1 to " + MAX_KEYWORD
                        + " characters, \"category\": 1 to " + TransactionInput.MAX_CATEGORY + " characters}"));
            } else {
                rules.add(new Rule(contains, category));
            }
        }
        return new CategoryRules(List.copyOf(rules));
    }

    public ArrayNode toJson() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        rules.forEach(rule -> array.addObject().put("contains", rule.contains()).put("category", rule.category()));
        return array;
    }
}
