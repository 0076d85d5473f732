"""Writes a Jupyter kernelspec for a Java kernel with Queuack loaded.

It copies an installed Java kernel's spec (JJava's, named "java" by default), adds the JVM flags Queuack's
Arrow support needs right after the java executable, and puts Queuack's self-contained jar on the kernel's
class path through JJAVA_CLASSPATH, the variable JJava reads at start-up.

Usage: python3 write_kernelspec.py --jar queuack-kernel-<v>-all.jar [--base java] [--name queuack]
                                   [--display-name "Java (Queuack)"] [--prefix <dir>]
With --prefix the spec goes to <dir>/kernels/<name> (point JUPYTER_PATH at <dir>); otherwise to the
current environment's share/jupyter/kernels (sys.prefix), as on Binder.
"""
import argparse
import json
import os
import sys

from jupyter_client.kernelspec import KernelSpecManager

FLAGS = ["--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jar", required=True, help="queuack-kernel-<version>-all.jar")
    parser.add_argument("--base", default="java", help="the installed Java kernelspec to copy (default: java)")
    parser.add_argument("--name", default="queuack", help="the new kernelspec's name (default: queuack)")
    parser.add_argument("--display-name", default="Java (Queuack)")
    parser.add_argument("--prefix", help="write under <prefix>/kernels instead of sys.prefix")
    args = parser.parse_args()

    jar = os.path.abspath(args.jar)
    if not os.path.isfile(jar):
        sys.exit(f"No jar at {jar}: build it first (mvn -DskipTests package)")
    try:
        base = KernelSpecManager().get_kernel_spec(args.base)
    except Exception as error:  # NoSuchKernel, with the names that exist
        names = sorted(KernelSpecManager().find_kernel_specs())
        sys.exit(f"No kernelspec named '{args.base}' ({error}); installed: {names}. Install JJava first.")

    argv = [part.replace("{resource_dir}", base.resource_dir) for part in base.argv]
    argv[1:1] = [flag for flag in FLAGS if flag not in argv]
    env = dict(base.env or {})
    classpath = [entry for entry in env.get("JJAVA_CLASSPATH", "").split(os.pathsep) if entry]
    env["JJAVA_CLASSPATH"] = os.pathsep.join(classpath + [jar])
    spec = {"argv": argv, "display_name": args.display_name, "language": base.language or "java", "env": env}

    root = os.path.join(args.prefix, "kernels") if args.prefix else os.path.join(sys.prefix, "share", "jupyter", "kernels")
    target = os.path.join(root, args.name)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "kernel.json"), "w") as out:
        json.dump(spec, out, indent=2)
    print(f"Wrote {target}/kernel.json")


if __name__ == "__main__":
    main()
