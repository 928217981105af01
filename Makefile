# `sam build` builds every function with these targets (template.yaml: Metadata BuildMethod: makefile). For each
# function, SAM CLI copies its CodeUri (functions/<module>/) to a scratch folder and runs there
#     make --makefile functions/<module>/Makefile build-<LogicalId>      with ARTIFACTS_DIR=.aws-sam/build/<LogicalId>
# and zips whatever the target leaves in ARTIFACTS_DIR. Each functions/<module>/Makefile includes this file. The
# targets build in this repository, not in the scratch copy, because a module needs the parent pom and shared/.
# By hand: make build-ProfileFunction ARTIFACTS_DIR=/tmp/profile
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

# The Java 25 JDK that ./tally uses (JAVA_HOME when it is one, else the newest under /usr/lib/jvm).
export JAVA_HOME := $(shell "$(ROOT)/tally" java-home)
$(if $(JAVA_HOME),,$(error no Java 25 JDK found: set JAVA_HOME))
export PATH := $(JAVA_HOME)/bin:$(PATH)
# Maven's own Guava warns about sun.misc.Unsafe on 25 (as in ./tally).
export MAVEN_OPTS := $(MAVEN_OPTS) --sun-misc-unsafe-memory-access=allow

sources = $(shell find "$(ROOT)/$(1)/src/main" -type f)

# $(1): a function's LogicalId, $(2): its module. The module's artifact (the jar Maven's package writes: shaded, then
# trimmed, see the parent pom) is rebuilt only when a pom, the trimming script or a source file of the module or of
# shared/ is newer; the target unpacks it into ARTIFACTS_DIR, the layout a java runtime loads (classes at the root).
define function
.PHONY: build-$(1)
build-$(1): $(ROOT)/functions/$(2)/target/$(2)-lambda.jar
	$$(if $$(ARTIFACTS_DIR),,$$(error ARTIFACTS_DIR is not set: sam build sets it))
	mkdir -p "$$(ARTIFACTS_DIR)" && cd "$$(ARTIFACTS_DIR)" && jar xf "$$<"

$(ROOT)/functions/$(2)/target/$(2)-lambda.jar: $(ROOT)/pom.xml $(ROOT)/shared/pom.xml $(ROOT)/functions/$(2)/pom.xml \
		$(ROOT)/scripts/TrimLambdaJar.java $(call sources,shared) $(call sources,functions/$(2))
	mvn -q -B -f "$(ROOT)/pom.xml" -pl functions/$(2) -am package -DskipTests
endef

# A second function of a module whose artifact another target already builds: the same jar, unpacked for it.
define another_function
.PHONY: build-$(1)
build-$(1): $(ROOT)/functions/$(2)/target/$(2)-lambda.jar
	$$(if $$(ARTIFACTS_DIR),,$$(error ARTIFACTS_DIR is not set: sam build sets it))
	mkdir -p "$$(ARTIFACTS_DIR)" && cd "$$(ARTIFACTS_DIR)" && jar xf "$$<"
endef

$(eval $(call function,ProfileFunction,profile))
$(eval $(call function,CreateTransactionFunction,create-transaction))
$(eval $(call function,TransactionsFunction,transactions))
$(eval $(call function,DashboardFunction,dashboard))
$(eval $(call function,ExportRequestFunction,export-request))
$(eval $(call function,ExportWorkerFunction,export-worker))
$(eval $(call function,JobsFunction,jobs))
$(eval $(call function,ImportRequestFunction,import-request))
$(eval $(call function,ImportWorkerFunction,import-worker))
$(eval $(call function,ImportChunkFunction,import-chunk))
$(eval $(call function,RatesFunction,rates))
$(eval $(call another_function,RatesPrefetchFunction,rates))
$(eval $(call function,PushTicketFunction,push))
$(eval $(call another_function,PushAuthorizerFunction,push))
$(eval $(call another_function,PushSocketFunction,push))
$(eval $(call another_function,PushFunction,push))
