print("adenv")
